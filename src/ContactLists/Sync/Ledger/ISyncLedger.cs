namespace ContactLists;

/// <summary>
/// What the syncs into a list sent it, kept between runs so that every provider is synced by difference, fields are
/// updated when they change, and an interrupted run resumes where it stopped. Per list (<see cref="SyncTarget"/>): one
/// entry per identity the syncs made a member (<see cref="SyncLedgerEntry"/>: a fingerprint of the fields last sent,
/// whether a sync added it, when), and a record of the last run (<see cref="SyncRunRecord"/>). Each answered batch is
/// one <see cref="RecordAsync"/>, so keeping it costs a batch, never the run so far.
/// </summary>
/// <remarks>
/// A ledger never holds a credential (accounts are named by <see cref="Sharing.ProviderAccount.Id"/>, a one-way
/// fingerprint), but it does hold personal data: the identities are phone numbers and e-mail addresses. Keep it where
/// the source export is kept, readable by its owner only (the SQLite ledger creates its file so), and forget a list
/// with <see cref="ForgetAsync"/> when it is no longer synced. Implementations: <see cref="InMemorySyncLedger"/> (the
/// default: what one process remembers), <c>SqliteSyncLedger</c> (ContactLists.Sqlite: one file) and
/// <c>RedisSyncLedger</c> (ContactLists.Redis: shared by the instances and machines a job runs on).
/// </remarks>
public interface ISyncLedger
{
    /// <summary>The record of the last run into a list; <see langword="null"/> when the ledger does not know the list.</summary>
    /// <param name="target">The list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<SyncRunRecord?> GetRunAsync(SyncTarget target, CancellationToken cancellationToken = default);

    /// <summary>Records the state of the current (or last) run into a list.</summary>
    /// <param name="target">The list.</param>
    /// <param name="run">The run.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetRunAsync(SyncTarget target, SyncRunRecord run, CancellationToken cancellationToken = default);

    /// <summary>Every entry of a list, in no particular order.</summary>
    /// <param name="target">The list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<SyncLedgerEntry> ReadAsync(SyncTarget target, CancellationToken cancellationToken = default);

    /// <summary>Applies what one answered batch changed, all of it or none of it.</summary>
    /// <param name="target">The list.</param>
    /// <param name="changes">Entries to write (replacing those of the same identity), identities to forget, and whether every entry is forgotten first.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RecordAsync(SyncTarget target, SyncLedgerChanges changes, CancellationToken cancellationToken = default);

    /// <summary>Forgets a list: its entries and its run record. The next sync into it starts as a first sync.</summary>
    /// <param name="target">The list.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask ForgetAsync(SyncTarget target, CancellationToken cancellationToken = default);

    /// <summary>Every list the ledger knows, with its last run.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<KeyValuePair<SyncTarget, SyncRunRecord>> ListAsync(CancellationToken cancellationToken = default);
}

/// <summary>A list as a sync ledger names it: the account, by its one-way <see cref="Sharing.ProviderAccount.Id"/>, and the list's id.</summary>
public sealed record SyncTarget
{
    /// <summary>Names a list.</summary>
    /// <param name="accountId">The account's <see cref="Sharing.ProviderAccount.Id"/> (never a credential).</param>
    /// <param name="listId">The list's id.</param>
    public SyncTarget(string accountId, string listId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountId);
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        AccountId = accountId;
        ListId = listId;
    }

    /// <summary>The account's one-way id.</summary>
    public string AccountId { get; }

    /// <summary>The list's id.</summary>
    public string ListId { get; }

    /// <summary><c>{account id}/{list id}</c>.</summary>
    public override string ToString() => AccountId + "/" + ListId;
}

/// <summary>One member a sync made a list hold, as the ledger remembers it.</summary>
/// <param name="Identity">The identity (<c>tel:+447911123456</c>, <c>mailto:ada@example.com</c>).</param>
/// <param name="Fingerprint">A fingerprint of the fields last sent (or found in the list), to tell whether they changed since.</param>
/// <param name="AddedBySync">Whether a sync added it (rather than finding it already in the list): with <see cref="SyncRemoval.Added"/>, only these are removed.</param>
/// <param name="SentAt">When it was last sent or found.</param>
/// <param name="SentAs">
/// The identity as it was sent, when that differs from <paramref name="Identity"/> (an e-mail's case: identities compare
/// e-mails in lower case, a provider may not), so that it is removed as it was added; <see langword="null"/> otherwise.
/// </param>
public readonly record struct SyncLedgerEntry(string Identity, long Fingerprint, bool AddedBySync, DateTimeOffset SentAt, string? SentAs = null);

/// <summary>What one answered batch changed in a ledger.</summary>
public sealed class SyncLedgerChanges
{
    /// <summary>Forget every entry of the list first (a replace's first step was answered: the list held nothing else after it).</summary>
    public bool Reset { get; init; }

    /// <summary>Entries to write, replacing those of the same identity.</summary>
    public IReadOnlyList<SyncLedgerEntry> Upserts { get; init; } = [];

    /// <summary>Identities to forget (removed from the list, or found gone).</summary>
    public IReadOnlyList<string> Removals { get; init; } = [];

    /// <summary>Whether the changes change nothing.</summary>
    public bool IsEmpty => !Reset && Upserts.Count == 0 && Removals.Count == 0;
}

/// <summary>How a sync run ended (or that it is running, or was stopped without ending).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SyncRunOutcome>))]
public enum SyncRunOutcome
{
    /// <summary>Started and not ended: running, or stopped without a word (a killed process). The next run resumes it.</summary>
    Running,

    /// <summary>Every stage ran to its end: each contact planned was delivered, or refused by the provider and counted in <see cref="SyncRunRecord.LeftOut"/>.</summary>
    Completed,

    /// <summary>It ended part-way (interrupted, or contacts left unsent when a batch failed); the next run sends what is left.</summary>
    Partial,

    /// <summary>A guard refused the plan: nothing was sent.</summary>
    Refused,

    /// <summary>It failed before or while sending (the provider refused the account, the list is gone…).</summary>
    Failed,
}

/// <summary>The last run into a list, as a sync ledger records it: what a health check and a resume read.</summary>
public sealed record SyncRunRecord
{
    /// <summary>The provider, such as <c>Messengeo</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>The client (account) name the run used.</summary>
    public string? Account { get; init; }

    /// <summary>How it ended, or <see cref="SyncRunOutcome.Running"/>.</summary>
    public required SyncRunOutcome Outcome { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>When it ended; <see langword="null"/> while running (or when stopped without ending).</summary>
    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary>When a run into this list last completed.</summary>
    public DateTimeOffset? LastCompletedAt { get; init; }

    /// <summary>When a run last made a full pass (a replace, or every member sent or compared again).</summary>
    public DateTimeOffset? LastFullPassAt { get; init; }

    /// <summary>
    /// Whether the ledger's entries say what syncs made the list hold: set once a run starts sending into it. A run
    /// refused (or failed) before anything was sent into a list the ledger did not know leaves it unset, so that the
    /// next run is still a first sync.
    /// </summary>
    public bool TracksList { get; init; }

    /// <summary>
    /// A replace was sent whose first step (the provider's overwrite, or emptying the list) was not answered: what the
    /// list holds is unknown, so the entries are not trusted and the next run replaces the list again.
    /// </summary>
    public bool ReplaceUnconfirmed { get; init; }

    /// <summary>Why it was refused or failed, or what was left undone.</summary>
    public string? Reason { get; init; }

    /// <summary>Contacts added by the run.</summary>
    public long Added { get; init; }

    /// <summary>Members whose fields the run updated.</summary>
    public long Updated { get; init; }

    /// <summary>Members the run removed.</summary>
    public long Removed { get; init; }

    /// <summary>Source rows and members left out by the run (invalid, refused by the provider, or not sent).</summary>
    public long LeftOut { get; init; }

    /// <summary>The record as a ledger stores it (JSON, camel case).</summary>
    public string ToJson() => System.Text.Json.JsonSerializer.Serialize(this, SyncLedgerJson.Default.SyncRunRecord);

    /// <summary>A record stored by <see cref="ToJson"/>; <see langword="null"/> when the text is not one.</summary>
    /// <param name="json">The stored text.</param>
    public static SyncRunRecord? FromJson(string json)
    {
        try
        {
            return System.Text.Json.JsonSerializer.Deserialize(json, SyncLedgerJson.Default.SyncRunRecord);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

/// <summary>The stored form of a run record.</summary>
[System.Text.Json.Serialization.JsonSourceGenerationOptions(PropertyNamingPolicy = System.Text.Json.Serialization.JsonKnownNamingPolicy.CamelCase)]
[System.Text.Json.Serialization.JsonSerializable(typeof(SyncRunRecord))]
internal sealed partial class SyncLedgerJson : System.Text.Json.Serialization.JsonSerializerContext;
