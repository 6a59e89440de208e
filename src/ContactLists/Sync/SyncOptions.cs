namespace ContactLists;

/// <summary>Settings of a <see cref="ContactListSync"/> run.</summary>
public sealed class SyncOptions
{
    /// <summary>Compute and return the plan without changing anything (only reads are sent).</summary>
    public bool DryRun { get; init; }

    /// <summary>
    /// How the adds, updates, removes or replace run: batch size, concurrency, the region of national phone numbers
    /// (<see cref="BulkOptions.DefaultRegion"/>), where attributes go (<see cref="BulkOptions.AttributeMap"/>), what an
    /// invalid field beside a valid identity does (<see cref="BulkOptions.InvalidFields"/>). Contacts the target refuses
    /// are always reported, never thrown. <see langword="null"/>: the defaults, with <see cref="BulkOptions.ContinueOnError"/>
    /// on (a batch that fails after its retries is reported; the others go on).
    /// </summary>
    public BulkOptions? Bulk { get; init; }

    /// <summary>
    /// Called with the sync's progress: once planned, then after every batch answered (adds, updates, removes or the
    /// replace), in order, before the sync returns. The plan's totals are known from the first report.
    /// </summary>
    public Action<SyncProgress>? OnProgress { get; init; }

    /// <summary>As <see cref="OnProgress"/>, through an <see cref="IProgress{T}"/> (which may post its last report after the sync returns).</summary>
    public IProgress<SyncProgress>? Progress { get; init; }

    /// <summary>
    /// Which members the sync may remove: every member the source does not hold (<see cref="SyncRemoval.Mirror"/>, the
    /// default), only those a sync added (<see cref="SyncRemoval.Added"/>: members added in the provider's app or by
    /// another integration are kept), or none (<see cref="SyncRemoval.None"/>).
    /// </summary>
    public SyncRemoval Removal { get; init; } = SyncRemoval.Mirror;

    /// <summary>
    /// The most members one run may remove, as a count or a share of the list's members (as read, counted, or as the
    /// ledger knows them). Default <see cref="SyncLimit.DefaultMaxRemovals"/>: 10%, and never fewer than
    /// <see cref="SyncLimit.Floor"/>, so that a small list is not blocked by one removal. A plan that would remove more,
    /// that would remove an unknown number (a first replace of a list that cannot be read or counted), or whose source
    /// holds no valid contact while the list has members, is refused before anything is sent
    /// (<see cref="ContactListSyncRefusedException"/>). <see cref="SyncLimit.All"/> accepts any.
    /// </summary>
    public SyncLimit MaxRemovals { get; init; } = SyncLimit.DefaultMaxRemovals;

    /// <summary>
    /// The largest share of the source's rows that may be left out as invalid (a renamed column, a wrong region). Default
    /// <see cref="SyncLimit.DefaultMaxLeftOut"/>: 50% (and never fewer than <see cref="SyncLimit.Floor"/> rows). More is
    /// refused before anything is sent, as <see cref="MaxRemovals"/> is.
    /// </summary>
    public SyncLimit MaxLeftOut { get; init; } = SyncLimit.DefaultMaxLeftOut;

    /// <summary>
    /// A full pass: every member is sent (or, where the list can be read, compared) again, whatever the ledger says, so
    /// that what drifted where it cannot be seen is repaired. Where the list's members cannot be read (Movio, Octopush, a
    /// large Whippy list) and <see cref="Removal"/> is <see cref="SyncRemoval.Mirror"/>, the list is replaced.
    /// </summary>
    public bool Full { get; init; }

    /// <summary>
    /// Plans a full pass (<see cref="Full"/>) when the last one into the list is older than this; <see langword="null"/>
    /// (the default): only when asked, or when the ledger cannot be trusted.
    /// </summary>
    public TimeSpan? FullPassAfter { get; init; }
}

/// <summary>Which members a sync may remove from its target.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SyncRemoval>))]
public enum SyncRemoval
{
    /// <summary>The list mirrors the source: every member the source does not hold leaves (guarded by <see cref="SyncOptions.MaxRemovals"/>).</summary>
    Mirror,

    /// <summary>Only members a sync added leave (the ledger knows which); members added by other means are kept and counted.</summary>
    Added,

    /// <summary>Nothing is removed: the sync only adds and updates.</summary>
    None,
}
