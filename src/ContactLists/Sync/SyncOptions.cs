namespace ContactLists;

/// <summary>Settings of a <see cref="ContactListSync"/> run.</summary>
public sealed class SyncOptions
{
    /// <summary>Compute and return the plan without changing anything (only reads are sent).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// How the adds, removes or replace run: batch size, concurrency, the region of national phone numbers
    /// (<see cref="BulkOptions.DefaultRegion"/>), where attributes go (<see cref="BulkOptions.AttributeMap"/>). Contacts
    /// the target refuses are always reported, never thrown. <see langword="null"/>: the defaults, with
    /// <see cref="BulkOptions.ContinueOnError"/> on (a batch that fails after its retries is reported; the others go on).
    /// </summary>
    public BulkOptions? Bulk { get; init; }

    /// <summary>
    /// Called with the sync's progress: once planned, then after every batch answered (adds, removes or the replace),
    /// in order, before the sync returns. The plan's totals are known from the first report.
    /// </summary>
    public Action<SyncProgress>? OnProgress { get; init; }

    /// <summary>As <see cref="OnProgress"/>, through an <see cref="IProgress{T}"/> (which may post its last report after the sync returns).</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// What an earlier, interrupted run of the same sync answered, to resume it: contacts whose batch was answered are
    /// not sent again, a replace that had started is not started over, and the result counts them. The sync updates
    /// it after every answered batch and calls <see cref="OnCheckpoint"/>, so that a caller can save it (the
    /// <c>contactlists</c> tool writes it to its state file). Start with a new <see cref="SyncCheckpoint"/> for a new run.
    /// </summary>
    public SyncCheckpoint? Checkpoint { get; init; }

    /// <summary>Called after every answered batch, with <see cref="Checkpoint"/> updated. Keep it quick (the next batch's outcome waits for it).</summary>
    public Action<SyncCheckpoint>? OnCheckpoint { get; init; }
}
