using ContactLists.Identity;

namespace ContactLists;

/// <summary>How a bulk operation (add, remove, replace) runs.</summary>
public sealed class BulkOptions
{
    /// <summary>Contacts per request; <see langword="null"/> for the provider's default. Capped at the provider's documented maximum.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Whether to go on with the next batches when one fails. When <see langword="false"/> (the default) the first failed
    /// batch stops the operation with a <see cref="ContactListBulkException"/> that carries the partial result.
    /// </summary>
    public bool ContinueOnError { get; init; }

    private InvalidContactHandling _invalidContacts = InvalidContactHandling.Throw;
    private Action<BulkProgress>? _onProgress;
    private Action<BulkBatchReport>? _onBatch;
    private long? _expectedTotal;

    /// <summary>What to do with a contact the SDK can tell is invalid (for example, no phone where the phone identifies contacts).</summary>
    public InvalidContactHandling InvalidContacts { get => _invalidContacts; init => _invalidContacts = value; }

    /// <summary>
    /// What to do with a contact whose identity is valid but another field is not (a bad e-mail beside a valid phone, a
    /// name longer than the provider takes). <see cref="InvalidFieldHandling.LeaveOut"/> (the default) sends the contact
    /// without that field and counts it in <see cref="BulkResult.DroppedFields"/> (<c>Email (not valid)</c>), so that a
    /// subscriber is not lost for a typo in a field nobody identifies them by; <see cref="InvalidFieldHandling.Reject"/>
    /// treats the contact as invalid.
    /// </summary>
    public InvalidFieldHandling InvalidFields { get; init; } = InvalidFieldHandling.LeaveOut;

    /// <summary>
    /// Receives progress after every batch. A <see cref="Progress{T}"/> posts each report to the context it was created
    /// on, so its last report may arrive after the operation has returned; use <see cref="OnProgress"/> to see every
    /// report before then.
    /// </summary>
    public IProgress<BulkProgress>? Progress { get; init; }

    /// <summary>
    /// Called after every batch, in order, on the thread that recorded the batch; the last call happens before the
    /// operation returns. Keep it quick: the next outcome is recorded after it returns.
    /// </summary>
    public Action<BulkProgress>? OnProgress { get => _onProgress; init => _onProgress = value; }

    /// <summary>
    /// Called once per batch as soon as its outcome is recorded (in input order, before <see cref="OnProgress"/>),
    /// with the input positions it delivered and those it did not: what a job that checkpoints its progress records
    /// (ContactListSync does, to write each answered batch to its ledger). Keep it quick.
    /// </summary>
    public Action<BulkBatchReport>? OnBatch { get => _onBatch; init => _onBatch = value; }

    /// <summary>
    /// How many contacts the input holds, for <see cref="BulkProgress.Total"/> and the time estimate, when the SDK cannot
    /// count them without reading them (a stream, an iterator). Collections, and projections of them such as
    /// <c>customers.Select(...)</c> over a list, are counted without this.
    /// </summary>
    public long? ExpectedTotal { get => _expectedTotal; init => _expectedTotal = value; }

    /// <summary>
    /// How many batches may be in flight at once (default 1). Outcomes are still recorded in input order. The
    /// provider's own rate limit is paced in the HTTP pipeline whatever this is.
    /// </summary>
    public int MaxConcurrency { get; init; } = 1;

    /// <summary>
    /// How many times one batch waits out the client's open circuit breaker (nothing is sent while it is open) before
    /// the batch counts as failed. Default 10. Keeps a long run progressing through a burst of transient failures.
    /// </summary>
    public int MaxCircuitBreakerWaits { get; init; } = 10;

    /// <summary>
    /// How many times one batch is sent again, within the operation, after a failure the HTTP pipeline could not
    /// repeat itself: a write that may have reached the provider (a reset, a lost answer or a 5xx on its one attempt),
    /// and how many times the contacts of an answered batch whose lookup or creation failed that way are sent again.
    /// A failure the pipeline already tried again, a wrong answer, a timeout or a 429 is not sent again within the
    /// operation (docs/reliability.md, "A bounded call"). Default 3; 0 turns it off. Repeating is safe: membership changes may be repeated, and a contact whose create
    /// answer was lost is found on the next attempt, not created again. A batch that still fails is reported (its
    /// contacts in <see cref="BulkResult.NotSent"/>), and the next batches go on as <see cref="ContinueOnError"/> says.
    /// </summary>
    public int MaxBatchRetries { get; init; } = 3;

    /// <summary>The wait before a batch is sent again (see <see cref="MaxBatchRetries"/>), doubled each time. Default 2 seconds.</summary>
    public TimeSpan BatchRetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The region this operation's national phone numbers belong to (ISO 3166, such as <c>GB</c>), over the account's
    /// <see cref="ContactListClientOptions.DefaultRegion"/>. <see langword="null"/>: the account's.
    /// </summary>
    public string? DefaultRegion { get; init; }

    /// <summary>
    /// Where this operation's attributes go (attribute key → provider field, such as <c>Tier</c> → <c>param1</c>), on
    /// top of the account's <see cref="ContactListClientOptions.AttributeMap"/> (an entry here wins).
    /// </summary>
    public IReadOnlyDictionary<string, string>? AttributeMap { get; init; }

    /// <summary>
    /// A graceful stop: once it is cancelled, no new batch is sent and no more input is read, the batches in flight
    /// finish and are recorded, and the operation ends with <see cref="ContactListBulkCanceledException"/> whose result
    /// says what was delivered (the contacts of the batch being filled are <see cref="NotSentReason.Cancelled"/>). The
    /// operation's own <see cref="CancellationToken"/> stops at once instead, abandoning the batches in flight
    /// (<see cref="NotSentReason.MayHaveBeenReceived"/>). What a command-line tool does on a first and a second Ctrl+C.
    /// </summary>
    public CancellationToken StopSending { get; init; }

    /// <summary>A quota of your own for this operation's batches (on top of the provider's documented limits); <see langword="null"/> for none.</summary>
    public BulkPacing? Pacing { get; init; }

    /// <summary>The input is a composed job's, planned with one contact per identity: the call need not look for duplicates.</summary>
    internal bool InputDistinct { get; private set; }

    /// <summary>
    /// A copy of every setting (whatever settings are added later), with what a composed job sets for one of its bulk
    /// calls: the input's size, invalid contacts reported, and its own callbacks called after the caller's.
    /// </summary>
    internal BulkOptions ForJob(long expectedTotal, Action<BulkBatchReport> onBatch, Action<BulkProgress> onProgress)
    {
        var copy = (BulkOptions)MemberwiseClone();
        var (callerBatch, callerProgress) = (_onBatch, _onProgress);
        copy._expectedTotal = expectedTotal;
        copy._invalidContacts = InvalidContactHandling.Reject;
        copy.InputDistinct = true;
        copy._onBatch = report =>
        {
            callerBatch?.Invoke(report);
            onBatch(report);
        };
        copy._onProgress = report =>
        {
            callerProgress?.Invoke(report);
            onProgress(report);
        };
        return copy;
    }

    /// <summary>Checks the settings before any request; throws <see cref="ContactListValidationException"/> naming the one out of range.</summary>
    /// <param name="paramName">The parameter the options came in.</param>
    internal void Validate(string paramName)
    {
        if (ExpectedTotal is < 0)
        {
            throw new ContactListValidationException($"BulkOptions.ExpectedTotal cannot be negative, but is {ExpectedTotal}.", paramName);
        }

        if (BatchSize is < 1)
        {
            throw new ContactListValidationException($"BulkOptions.BatchSize must be at least 1, but is {BatchSize}.", paramName);
        }

        if (MaxConcurrency is < 1 or > 64)
        {
            throw new ContactListValidationException($"BulkOptions.MaxConcurrency must be between 1 and 64, but is {MaxConcurrency}.", paramName);
        }

        if (MaxBatchRetries is < 0 or > 100)
        {
            throw new ContactListValidationException($"BulkOptions.MaxBatchRetries must be between 0 and 100, but is {MaxBatchRetries}.", paramName);
        }

        if (BatchRetryDelay < TimeSpan.Zero)
        {
            throw new ContactListValidationException("BulkOptions.BatchRetryDelay cannot be negative.", paramName);
        }

        if (DefaultRegion is { } region && !ContactFieldRules.IsKnownRegion(region))
        {
            throw new ContactListValidationException($"BulkOptions.DefaultRegion must be an ISO 3166 region code libphonenumber knows (such as GB, FR, US), but is '{region}'.", paramName);
        }

        if (Pacing is { } pacing && (pacing.BatchesPerWindow < 1 || pacing.Window <= TimeSpan.Zero))
        {
            throw new ContactListValidationException("BulkOptions.Pacing needs a positive BatchesPerWindow and Window.", paramName);
        }
    }
}

/// <summary>At most <paramref name="BatchesPerWindow"/> batches in any window of <paramref name="Window"/>.</summary>
/// <param name="BatchesPerWindow">Batches allowed per window.</param>
/// <param name="Window">The window.</param>
public sealed record BulkPacing(int BatchesPerWindow, TimeSpan Window);

/// <summary>What a bulk operation does with a contact the SDK can tell is invalid.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<InvalidContactHandling>))]
public enum InvalidContactHandling
{
    /// <summary>
    /// Throw <see cref="ContactListValidationException"/> naming the contact. For a collection (an array, a list) every
    /// contact is checked before anything is sent; for a stream, each batch is checked before it is sent, and an
    /// invalid contact met after some batches were sent stops the operation with a <see cref="ContactListBulkException"/>
    /// (what was delivered in its result, the <see cref="ContactListValidationException"/> as its inner exception).
    /// </summary>
    Throw,

    /// <summary>Leave the contact out, send the others, and report it in <see cref="BulkResult.Rejected"/> with the reason.</summary>
    Reject,
}

/// <summary>What a bulk operation does with an invalid field of a contact whose identity is valid.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<InvalidFieldHandling>))]
public enum InvalidFieldHandling
{
    /// <summary>Send the contact without the field, and count the field in <see cref="BulkResult.DroppedFields"/> with why.</summary>
    LeaveOut,

    /// <summary>The contact is invalid: handled as <see cref="BulkOptions.InvalidContacts"/> says.</summary>
    Reject,
}

/// <summary>Progress of a bulk operation, reported after every batch.</summary>
/// <param name="Read">Contacts read from the input so far.</param>
/// <param name="Sent">Contacts in requests sent so far.</param>
/// <param name="Accepted">Contacts the provider confirmed.</param>
/// <param name="AcceptedForProcessing">Contacts the provider accepted for asynchronous processing.</param>
/// <param name="Rejected">Contacts refused, by the SDK or the provider.</param>
/// <param name="NotSent">Contacts read but not delivered (failed batch, cancellation).</param>
/// <param name="BatchesCompleted">Batches finished, successfully or not.</param>
/// <param name="Elapsed">Time since the operation started.</param>
public sealed record BulkProgress(
    long Read,
    long Sent,
    long Accepted,
    long AcceptedForProcessing,
    long Rejected,
    long NotSent,
    int BatchesCompleted,
    TimeSpan Elapsed)
{
    /// <summary>
    /// How many contacts the input holds: counted when the input can say without being read (a collection, or a
    /// projection of one), else <see cref="BulkOptions.ExpectedTotal"/>; <see langword="null"/> when neither.
    /// </summary>
    public long? Total { get; init; }

    /// <summary>The time left at the pace so far, when <see cref="Total"/> is known.</summary>
    public TimeSpan? EstimatedRemaining { get; init; }
}

/// <summary>One batch of a bulk operation, reported by <see cref="BulkOptions.OnBatch"/> as soon as it ends.</summary>
/// <param name="Index">The batch's zero-based position.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Delivered">Input positions of the contacts it delivered (accepted, or accepted for processing).</param>
/// <param name="NotDelivered">Input positions of the contacts it did not deliver (refused by the provider, not resolved, or the batch failed).</param>
public sealed record BulkBatchReport(int Index, BatchStatus Status, IReadOnlyList<long> Delivered, IReadOnlyList<long> NotDelivered);
