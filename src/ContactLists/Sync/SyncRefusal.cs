namespace ContactLists;

/// <summary>Which guard refused a sync's plan.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SyncGuard>))]
public enum SyncGuard
{
    /// <summary>The plan would remove more members than <see cref="SyncOptions.MaxRemovals"/> allows, or a number that cannot be known.</summary>
    MaxRemovals,

    /// <summary>The source holds no valid contact while the list has members: the sync would empty it.</summary>
    EmptySource,

    /// <summary>
    /// The plan replaces a list that can neither be read nor counted and that the ledger does not know (a first sync
    /// into Movio or Octopush): it would remove every member not in the source, however many that is.
    /// </summary>
    UnknownRemovals,

    /// <summary>More of the source's rows are invalid than <see cref="SyncOptions.MaxLeftOut"/> allows (a renamed column, a wrong region).</summary>
    MaxLeftOut,
}

/// <summary>Why a guard refused a plan, and what accepts it.</summary>
/// <param name="Guard">The guard.</param>
/// <param name="Reason">What the plan would do, in words, with its figures.</param>
/// <param name="Accept">The setting that accepts it, such as <c>MaxRemovals = SyncLimit.Parse("45%")</c> (a tool names its own option).</param>
/// <param name="Needed">The limit that would accept it (for <see cref="SyncGuard.MaxRemovals"/> and <see cref="SyncGuard.MaxLeftOut"/>), such as <c>45%</c> or <c>all</c>.</param>
public sealed record SyncRefusal(SyncGuard Guard, string Reason, string Accept, SyncLimit Needed);

/// <summary>
/// A guard refused a sync's plan before anything was sent (see <see cref="SyncOptions.MaxRemovals"/> and
/// <see cref="SyncOptions.MaxLeftOut"/>): it would remove too many members, empty the list, or leave out too much of
/// the source. Carries the plan and the refusal; nothing was changed.
/// </summary>
public sealed class ContactListSyncRefusedException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="plan">The plan refused.</param>
    /// <param name="refusal">Why, and what accepts it.</param>
    public ContactListSyncRefusedException(SyncPlan plan, SyncRefusal refusal)
        : base(
            $"The sync into {plan?.Provider} list '{plan?.ListId}' was refused before anything was sent: {refusal?.Reason} To accept it, set {refusal?.Accept}.",
            new ProviderError(plan?.Provider ?? string.Empty, null, null, null, []))
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(refusal);
        Plan = plan;
        Refusal = refusal;
    }

    /// <summary>The plan refused.</summary>
    public SyncPlan Plan { get; }

    /// <summary>Why, and what accepts it.</summary>
    public SyncRefusal Refusal { get; }
}

/// <summary>
/// A sync stopped before it was done (cancelled, or stopped gracefully through <see cref="BulkOptions.StopSending"/>).
/// Everything answered was recorded in the ledger: running the same sync again resumes it. <see cref="Result"/> says
/// what was done.
/// </summary>
public sealed class ContactListSyncCanceledException : OperationCanceledException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="result">What was done before the stop.</param>
    /// <param name="inner">The cancellation.</param>
    public ContactListSyncCanceledException(SyncResult result, OperationCanceledException inner)
        : base($"The sync into {result?.Plan.Provider} list '{result?.Plan.ListId}' was stopped: {result?.AddedCount:N0} added, {result?.UpdatedCount:N0} updated, {result?.RemovedCount:N0} removed so far; running it again resumes it.", inner, inner?.CancellationToken ?? default)
    {
        ArgumentNullException.ThrowIfNull(result);
        Result = result;
    }

    /// <summary>What was done before the stop.</summary>
    public SyncResult Result { get; }
}
