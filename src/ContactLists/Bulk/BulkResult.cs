namespace ContactLists;

/// <summary>The bulk operations.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BulkOperation>))]
public enum BulkOperation
{
    /// <summary>Add contacts to a list.</summary>
    Add,

    /// <summary>Remove contacts from a list.</summary>
    Remove,

    /// <summary>Make a list hold exactly the given contacts.</summary>
    Replace,

    /// <summary>Update the fields of a list's members.</summary>
    Update,
}

/// <summary>
/// What happened to every contact of a bulk operation. Each contact read from the input is counted exactly once:
/// <see cref="Accepted"/> + <see cref="AcceptedForProcessing"/> + <see cref="Rejected"/> + <see cref="NotSent"/> = <see cref="Read"/>.
/// </summary>
public sealed class BulkResult
{
    /// <summary>The provider's name.</summary>
    public required string Provider { get; init; }

    /// <summary>The list the operation was applied to.</summary>
    public required string ListId { get; init; }

    /// <summary>The operation.</summary>
    public required BulkOperation Operation { get; init; }

    /// <summary>Contacts read from the input.</summary>
    public long Read { get; init; }

    /// <summary>Contacts included in requests that were sent (whatever their outcome).</summary>
    public long Sent { get; init; }

    /// <summary>Contacts the provider confirmed as applied.</summary>
    public long Accepted { get; init; }

    /// <summary>
    /// Contacts the provider accepted for asynchronous processing: it said it will apply them, not that it has.
    /// A later read may still show them missing, or the provider may drop some it finds invalid.
    /// </summary>
    public long AcceptedForProcessing { get; init; }

    /// <summary>Contacts refused (by the SDK before sending, or by the provider), each with the reason.</summary>
    public IReadOnlyList<RejectedContact> Rejected { get; init; } = [];

    /// <summary>Contacts read but not delivered because their batch failed or the operation was cancelled or stopped.</summary>
    public IReadOnlyList<NotSentContact> NotSent { get; init; } = [];

    /// <summary>Every batch and its outcome, in input order.</summary>
    public IReadOnlyList<BatchOutcome> Batches { get; init; } = [];

    /// <summary>
    /// <see langword="false"/> when the operation was composed of several calls that the provider applies one by one
    /// (for example a replace larger than one batch: the first batch replaces, the rest add), so a failure part-way
    /// leaves the list in between (and where the provider applies batches after answering, in an order it does not promise).
    /// <see cref="NonAtomicReason"/> says which. A single call the provider applies later is atomic but counted in
    /// <see cref="AcceptedForProcessing"/>, not <see cref="Accepted"/>.
    /// </summary>
    public bool IsAtomic => NonAtomicReason is null;

    /// <summary>Why the operation was not atomic, and what window that leaves; <see langword="null"/> when it was.</summary>
    public string? NonAtomicReason { get; init; }

    /// <summary>
    /// Fields the provider has no place for, which were left out of what was sent (for example <c>Email</c> on
    /// Octopush), with how many contacts had them. Empty when nothing was left out.
    /// </summary>
    public IReadOnlyDictionary<string, long> DroppedFields { get; init; } = new Dictionary<string, long>();

    /// <summary>
    /// Whether the whole input was read. When <see langword="false"/>, the contacts from input position
    /// <see cref="Read"/> on were not read, and a caller can resume from there.
    /// </summary>
    public bool InputExhausted { get; init; }

    /// <summary>The rate-limit state reported with the last response, when the provider reports one.</summary>
    public RateLimitInfo? RateLimit { get; init; }

    /// <summary>
    /// For a replace composed as a difference (add the new members, then remove the others): how many former members
    /// were removed. <see langword="null"/> when the provider replaced the list itself.
    /// </summary>
    public long? FormerMembersRemoved { get; init; }

    /// <summary>
    /// Every contact left out (rejected, or not sent), counted by reason: <see cref="RejectedContact.Category"/> for
    /// those refused, <c>not sent: {reason}</c> for the others. Empty when every contact was delivered.
    /// </summary>
    public IReadOnlyDictionary<string, long> LeftOutReasons => Rejected.Select(r => r.Category)
        .Concat(NotSent.Select(n => "not sent: " + n.Reason))
        .GroupBy(reason => reason, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    /// <summary>A summary: the operation, the counts, the reasons for what was left out, and the fields left out.</summary>
    public override string ToString()
    {
        var text = new System.Text.StringBuilder()
            .Append(Operation).Append(" on ").Append(Provider).Append(" list '").Append(ListId).Append("': read ").Append(Read)
            .Append(", accepted ").Append(Accepted).Append(", accepted for processing ").Append(AcceptedForProcessing)
            .Append(", rejected ").Append(Rejected.Count).Append(", not sent ").Append(NotSent.Count).Append('.');
        foreach (var (reason, count) in LeftOutReasons.OrderByDescending(r => r.Value))
        {
            text.AppendLine().Append("  ").Append(count).Append(" × ").Append(reason);
        }

        foreach (var (field, count) in DroppedFields.OrderByDescending(f => f.Value))
        {
            text.AppendLine().Append("  ").Append(field).Append(" left out of ").Append(count).Append(" contacts (no place on ").Append(Provider).Append(')');
        }

        return text.ToString();
    }

    /// <summary>Whether every contact read was delivered, the whole input was read and no batch failed.</summary>
    public bool IsComplete => InputExhausted && NotSent.Count == 0 && Batches.All(b => b.Status != BatchStatus.Failed);

    internal BulkResult WithFormerMembersRemoved(long removed) => new()
    {
        Provider = Provider,
        ListId = ListId,
        Operation = Operation,
        Read = Read,
        Sent = Sent,
        Accepted = Accepted,
        AcceptedForProcessing = AcceptedForProcessing,
        Rejected = Rejected,
        NotSent = NotSent,
        Batches = Batches,
        NonAtomicReason = NonAtomicReason ?? "The replace added the new members, then removed the former ones: in between, the list held both.",
        DroppedFields = DroppedFields,
        InputExhausted = InputExhausted,
        RateLimit = RateLimit,
        FormerMembersRemoved = removed,
    };
}

/// <summary>A contact that was refused.</summary>
/// <param name="Index">The contact's zero-based position in the input.</param>
/// <param name="Contact">The contact as given.</param>
/// <param name="Field">The field at fault, when known.</param>
/// <param name="Reason">Why it was refused.</param>
/// <param name="ByProvider"><see langword="true"/> when the provider refused it; <see langword="false"/> when the SDK did, before sending.</param>
public sealed record RejectedContact(long Index, Contact Contact, string? Field, string Reason, bool ByProvider)
{
    /// <summary>
    /// The reason as a category, without the contact's own values, to count contacts by: <c>Phone missing</c>,
    /// <c>Phone not valid</c>, <c>Email not valid</c>, <c>Attributes[Tier] has no place</c>, <c>duplicate</c>,
    /// <c>refused by the provider</c>.
    /// </summary>
    public string Category => DuplicateOf is not null ? "duplicate"
        : ByProvider ? "refused by the provider"
        : Field is null ? Reason
        : Reason == $"{nameof(Contact.Id)} {Identity.ContactRules.NothingToFindBy}" ? "Id, Phone and Email missing"
        : Reason.EndsWith(" is required", StringComparison.Ordinal) ? Field + " missing"
        : Reason.Contains(" has no place", StringComparison.Ordinal) ? Field + " has no place"
        : Reason.Contains(" would overwrite", StringComparison.Ordinal) ? Field + " collides with a field"
        : Field + " not valid";

    /// <summary>One line: the position, the contact's identity and the reason, such as <c>#12 (+447911123456): Phone is required</c>.</summary>
    public override string ToString() => $"#{Index} ({Contact.Describe()}): {Reason}";

    /// <summary>
    /// For a contact left out because an earlier contact of the same input has the same identity (phone, e-mail or
    /// id): that contact's position. It was sent once, as that contact; nothing about it is lost.
    /// </summary>
    public long? DuplicateOf { get; init; }
}

/// <summary>Why a contact was not delivered.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<NotSentReason>))]
public enum NotSentReason
{
    /// <summary>The request holding it failed and was not applied (see the batch's <see cref="BatchOutcome.Error"/>).</summary>
    BatchFailed,

    /// <summary>The operation was cancelled before or while its batch was sent.</summary>
    Cancelled,

    /// <summary>An earlier batch failed and <see cref="BulkOptions.ContinueOnError"/> was off, or reading the input failed.</summary>
    Stopped,

    /// <summary>
    /// Its request reached (or may have reached) the provider, but no answer confirmed it: the answer was lost, was a
    /// server error, did not look like the provider's, or the operation was cancelled while the request was out.
    /// The provider may have applied it. Sending it again is safe for adds and removes.
    /// </summary>
    MayHaveBeenReceived,

    /// <summary>
    /// Finding or creating the provider's contact for it failed (see <see cref="NotSentContact.Error"/>), so it was
    /// not put in the list; the rest of its batch was sent. A contact the provider was asked to create may exist:
    /// sending it again finds that contact instead of creating another.
    /// </summary>
    NotResolved,
}

/// <summary>A contact that was read but not delivered.</summary>
/// <param name="Index">The contact's zero-based position in the input.</param>
/// <param name="Contact">The contact as given.</param>
/// <param name="Reason">Why it was not delivered.</param>
/// <param name="BatchIndex">The batch it belonged to, if it was put in one.</param>
public sealed record NotSentContact(long Index, Contact Contact, NotSentReason Reason, int? BatchIndex)
{
    /// <summary>One line: the position, the contact's identity, why it was not delivered and, when it is its own, the failure.</summary>
    public override string ToString() => $"#{Index} ({Contact.Describe()}): not sent, {Reason}" + (Error is null ? string.Empty : $" ({Error.GetType().Name}: {Error.Message})");

    /// <summary>The failure that kept this contact back, when it is its own (<see cref="NotSentReason.NotResolved"/>); otherwise see its batch's <see cref="BatchOutcome.Error"/>.</summary>
    public Exception? Error { get; init; }
}

/// <summary>How a batch ended.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<BatchStatus>))]
public enum BatchStatus
{
    /// <summary>The provider confirmed it.</summary>
    Accepted,

    /// <summary>The provider accepted it for asynchronous processing.</summary>
    AcceptedForProcessing,

    /// <summary>The request failed.</summary>
    Failed,

    /// <summary>It was not sent (cancellation).</summary>
    NotSent,

    /// <summary>
    /// It was answered, but not all of it was sent (some or all of its contacts): those whose lookup or creation failed are in
    /// <see cref="BulkResult.NotSent"/>, each with its <see cref="NotSentContact.Error"/>; those the provider refused,
    /// in <see cref="BulkResult.Rejected"/>.
    /// </summary>
    Partial,
}

/// <summary>One request of a bulk operation.</summary>
/// <param name="Index">The batch's zero-based position.</param>
/// <param name="FirstContactIndex">The input position of its first contact.</param>
/// <param name="Count">Contacts in it.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Action">The provider action used (for example <c>overwrite</c> or <c>add</c>).</param>
/// <param name="Error">The failure, when it failed.</param>
/// <param name="ProviderMessage">What the provider said, when it said something.</param>
/// <param name="ProviderCounts">Counts the provider reported for the batch (such as <c>created</c> and <c>updated</c>), when it did.</param>
public sealed record BatchOutcome(
    int Index,
    long FirstContactIndex,
    int Count,
    BatchStatus Status,
    string Action,
    Exception? Error = null,
    string? ProviderMessage = null,
    IReadOnlyDictionary<string, long>? ProviderCounts = null);
