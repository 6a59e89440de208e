using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Identity;

namespace ContactLists;

/// <summary>
/// The part of every adapter that is the same for every provider: argument checks, the capability gate, identity
/// checks and the bulk engine. An adapter overrides the <c>…CoreAsync</c> members for the operations it declares in
/// <see cref="Capabilities"/>; every other operation throws <see cref="ContactListOperationNotSupportedException"/>.
/// </summary>
internal abstract class ContactListClientBase(string providerName, string clientName, ContactListClientOptions options, TimeProvider timeProvider) : IContactListClient
{
    public string ProviderName { get; } = providerName;

    public string ClientName { get; } = clientName;

    public abstract ContactListCapabilities Capabilities { get; }

    public abstract ContactIdentity Identity { get; }

    protected TimeProvider TimeProvider { get; } = timeProvider;

    /// <summary>The client's logger (<c>ContactLists.{Provider}</c>), set by the registration; batch outcomes are logged at Debug.</summary>
    internal Microsoft.Extensions.Logging.ILogger Logger { get; set; } = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The account's settings that every provider has.</summary>
    protected ContactListClientOptions ClientOptions { get; } = options;

    /// <summary>The provider's documented maximum of contacts per request.</summary>
    protected abstract int MaxBatchSize { get; }

    /// <summary>The provider's documented rate limits, for a plan's time estimate (set by the registration).</summary>
    internal IReadOnlyList<Http.PacingRule> PacingRules { get; set; } = [];

    /// <summary>The address requests are built on, for matching planned requests to <see cref="PacingRules"/> (set by the registration).</summary>
    internal Uri RequestBase { get; set; } = new("https://provider.invalid/");

    /// <summary>
    /// The requests a bulk operation on <paramref name="contacts"/> contacts sends, as method, path and count, for a
    /// plan's estimate. <paramref name="withIds"/>: the contacts carry the provider's ids (a sync's removes do), so
    /// providers that look contacts up need not. By default one request per batch.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="contacts">How many contacts.</param>
    /// <param name="batchSize">Contacts per batch.</param>
    /// <param name="withIds">Whether the contacts carry provider ids.</param>
    internal virtual IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds)
        => [new(HttpMethod.Put, "/", PlannedRequests.Batches(contacts, batchSize))];

    /// <summary>The batch size an operation runs at: the call's, else the account's default, at most the provider's limit.</summary>
    internal int BatchSizeFor(BulkOperation operation, BulkOptions? options)
        => Math.Min(options?.BatchSize ?? DefaultBatchSizeFor(operation), MaxBatchSizeFor(operation));

    /// <summary>
    /// The requests and time of some bulk work at the provider's documented limits: each rule counts the planned
    /// requests it applies to; the slowest rule gives the time (its first window's permits go at once, then one
    /// window per limit's worth).
    /// </summary>
    internal SyncEstimate Estimate(IEnumerable<(BulkOperation Operation, long Contacts, bool WithIds)> work, BulkOptions? options)
    {
        var planned = work.Where(w => w.Contacts > 0).SelectMany(w => PlanRequests(w.Operation, w.Contacts, BatchSizeFor(w.Operation, options), w.WithIds)).ToList();
        var requests = planned.Sum(p => p.Count);
        if (requests == 0)
        {
            return SyncEstimate.None;
        }

        if (PacingRules.Count == 0)
        {
            return new SyncEstimate(requests, null, $"{ProviderName} documents no rate limit: the time depends on how fast it answers");
        }

        (TimeSpan Time, Http.PacingRule Rule)? slowest = null;
        foreach (var rule in PacingRules)
        {
            var count = planned.Where(p => Applies(rule, p)).Sum(p => p.Count);
            var time = count <= rule.PermitLimit ? TimeSpan.Zero : rule.Window * ((double)(count - rule.PermitLimit) / rule.PermitLimit);
            if (count > 0 && (slowest is null || time > slowest.Value.Time))
            {
                slowest = (time, rule);
            }
        }

        return slowest is { } worst
            ? new SyncEstimate(requests, worst.Time, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{worst.Rule.Name}: {worst.Rule.PermitLimit} per {(worst.Rule.Window.TotalMinutes < 2 ? $"{worst.Rule.Window.TotalSeconds:0} s" : SyncEstimate.Format(worst.Rule.Window))}"))
            : new SyncEstimate(requests, TimeSpan.Zero, "no documented limit applies");

        bool Applies(Http.PacingRule rule, PlannedRequests planned)
        {
            using var request = new HttpRequestMessage(planned.Method, new Uri(RequestBase, planned.Path.TrimStart('/')));
            return rule.AppliesTo(request);
        }
    }

    /// <summary>
    /// The identity a sync compares contacts by, from a checked contact or a member read back: <c>tel:</c> and the
    /// E.164 phone, or <c>mailto:</c> and the lower-case e-mail, as the provider identifies contacts (providers keyed by
    /// their own ids: the phone, else the e-mail). <see langword="null"/> when it has none.
    /// </summary>
    internal string? SyncKey(Contact contact)
    {
        string? Phone() => contact.Phone is null ? null
            : "tel:" + (ContactFieldRules.TryNormalizePhone(contact.Phone, PhoneNumberCheck.Possible, out var phone, out _) ? phone : contact.Phone.Trim());
        string? Email() => string.IsNullOrWhiteSpace(contact.Email) ? null : "mailto:" + contact.Email.Trim().ToLowerInvariant();
        return Identity switch
        {
            ContactIdentity.Phone => Phone(),
            ContactIdentity.Email => Email(),
            _ => Phone() ?? Email(),
        };
    }

    /// <summary>The provider's contact fields as this adapter maps them (see <see cref="ContactFieldModel"/>).</summary>
    protected abstract ContactFieldModel FieldModel { get; }

    /// <summary>The field model, for providers whose custom fields are read from the account (SlickText); by default <see cref="FieldModel"/>.</summary>
    protected virtual Task<ContactFieldModel> LoadFieldModelAsync(CancellationToken cancellationToken) => Task.FromResult(FieldModel);

    /// <summary>Whether <see cref="FieldModel"/> is only the static part of the model, the rest being read by <see cref="LoadFieldModelAsync"/> when an attribute needs it.</summary>
    protected virtual bool FieldModelIsPartial => false;

    public Task<ContactFieldModel> GetFieldsAsync(CancellationToken cancellationToken = default) => LoadFieldModelAsync(cancellationToken);

    /// <summary>The batch size used when the caller does not set one (at most <see cref="MaxBatchSize"/>).</summary>
    protected virtual int DefaultBatchSize => MaxBatchSize;

    /// <summary>The maximum per request for one operation, for providers whose limit differs by operation.</summary>
    protected virtual int MaxBatchSizeFor(BulkOperation operation) => MaxBatchSize;

    /// <summary>The default per request for one operation (at most <see cref="MaxBatchSizeFor"/>).</summary>
    protected virtual int DefaultBatchSizeFor(BulkOperation operation) => Math.Min(DefaultBatchSize, MaxBatchSizeFor(operation));

    /// <summary>How this provider replaces a list's members (see <see cref="Bulk.ReplaceStrategy"/>); the base class runs it.</summary>
    protected virtual ReplaceStrategy ReplaceStrategy => ReplaceStrategy.None;

    /// <summary>
    /// When the provider applies membership changes after it answers (so that an answer is "accepted for processing"):
    /// what that means for a replace of several steps. <see langword="null"/> when the provider applies them before answering.
    /// </summary>
    protected virtual string? AppliesLater => null;

    /// <summary>Provider rules for a list id beyond the shared ones (for example a name-length limit); throws <see cref="ContactListValidationException"/>.</summary>
    protected virtual void CheckListId(string listId, string paramName)
    {
    }

    /// <summary>The longest list name the provider documents; <see langword="null"/> when it documents none (then <see cref="ContactListClientOptions.DefaultMaxListNameLength"/> applies).</summary>
    protected virtual int? DocumentedMaxListNameLength => null;

    /// <summary>The longest list name sent: <see cref="ContactListClientOptions.MaxListNameLength"/> when set, else the documented limit, else the stated default.</summary>
    private int MaxListNameLength => ClientOptions.MaxListNameLength ?? DocumentedMaxListNameLength ?? ContactListClientOptions.DefaultMaxListNameLength;

    /// <summary>
    /// A list name must have no control characters (no provider documents them, and some strip them silently) and
    /// fit the provider's documented length, which some providers would otherwise shorten silently.
    /// </summary>
    private void CheckListName(string name, string paramName)
    {
        if (name.Any(char.IsControl))
        {
            throw new ContactListValidationException("A list name cannot contain control characters (such as a line break or a tab).", paramName);
        }

        if (name.Length > MaxListNameLength)
        {
            var documented = DocumentedMaxListNameLength is not null && ClientOptions.MaxListNameLength is null;
            var shown = name.Length <= 80 ? $"'{name}'" : $"'{name[..40]}…'";
            throw new ContactListValidationException(
                documented
                    ? $"{ProviderName} list names are at most {MaxListNameLength} characters, but {shown} has {name.Length}; {ProviderName} would shorten it silently or refuse it."
                    : $"List names are at most {MaxListNameLength} characters here (ContactListClientOptions.MaxListNameLength; {ProviderName} documents no limit), but {shown} has {name.Length}.",
                paramName);
        }
    }

    public IAsyncEnumerable<ContactList> GetListsAsync(CancellationToken cancellationToken = default)
    {
        Require(ContactListCapabilities.ListLists, "ListLists");
        return TracedStreamAsync("ListLists", null, GetListsCoreAsync(cancellationToken), cancellationToken);
    }

    public Task<ContactList> GetListAsync(string listId, CancellationToken cancellationToken = default)
    {
        CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.GetList, "GetList");
        CheckListId(listId, nameof(listId));
        return TracedAsync("GetList", listId, () => GetListCoreAsync(listId, cancellationToken));
    }

    public Task<ContactList> CreateListAsync(NewContactList list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (string.IsNullOrWhiteSpace(list.Name))
        {
            throw new ContactListValidationException("A new list needs a name that is not empty or white space.", nameof(list));
        }

        CheckListName(list.Name, nameof(list));

        Require(ContactListCapabilities.CreateList, "CreateList");
        return TracedAsync("CreateList", null, () => CreateListCoreAsync(list, cancellationToken));
    }

    public Task<ContactList> UpdateListAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken = default)
    {
        CheckId(listId, nameof(listId));
        ArgumentNullException.ThrowIfNull(update);
        if (update.Name is not null && string.IsNullOrWhiteSpace(update.Name))
        {
            throw new ContactListValidationException("A list's new name cannot be empty or white space; use null to keep the name.", nameof(update));
        }

        if (update.Name is not null)
        {
            CheckListName(update.Name, nameof(update));
        }

        if (update is { Name: null, Description: null, Archived: null })
        {
            throw new ContactListValidationException("The update changes nothing: set Name, Description or Archived.", nameof(update));
        }

        Require(ContactListCapabilities.UpdateList, "UpdateList");
        CheckListId(listId, nameof(listId));
        return TracedAsync("UpdateList", listId, () => UpdateListCoreAsync(listId, update, cancellationToken));
    }

    public Task<ContactListDeletion> DeleteListAsync(string listId, CancellationToken cancellationToken = default)
    {
        CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.DeleteList, "DeleteList");
        CheckListId(listId, nameof(listId));
        return TracedAsync("DeleteList", listId, () => DeleteListCoreAsync(listId, cancellationToken));
    }

    public Task<long> CountContactsAsync(string listId, CancellationToken cancellationToken = default)
    {
        CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.CountContacts, "CountContacts");
        CheckListId(listId, nameof(listId));
        return TracedAsync("CountContacts", listId, () => CountContactsCoreAsync(listId, cancellationToken));
    }

    public IAsyncEnumerable<Contact> GetContactsAsync(string listId, CancellationToken cancellationToken = default)
    {
        CheckId(listId, nameof(listId));
        if (!Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            Require(ContactListCapabilities.GetContacts, "GetContacts");
        }

        CheckListId(listId, nameof(listId));
        return TracedStreamAsync("GetContacts", listId, GetContactsCoreAsync(listId, cancellationToken), cancellationToken);
    }

    public Task<BulkResult> AddContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Add, listId, contacts, options, cancellationToken);

    public Task<BulkResult> AddContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Add, listId, contacts, options, cancellationToken);

    public Task<BulkResult> RemoveContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Remove, listId, contacts, options, cancellationToken);

    public Task<BulkResult> RemoveContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Remove, listId, contacts, options, cancellationToken);

    public Task<BulkResult> ReplaceContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Replace, listId, contacts, options, cancellationToken);

    public Task<BulkResult> ReplaceContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Replace, listId, contacts, options, cancellationToken);

    public Task<ContactList> MergeListsAsync(string name, IEnumerable<string> listIds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ContactListValidationException("The merged list needs a name that is not empty or white space.", nameof(name));
        }

        CheckListName(name, nameof(name));

        ArgumentNullException.ThrowIfNull(listIds);
        var ids = listIds.ToArray();
        if (ids.Length == 0)
        {
            throw new ContactListValidationException("At least one list id is needed to merge.", nameof(listIds));
        }

        foreach (var id in ids)
        {
            CheckId(id, nameof(listIds));
        }

        Require(ContactListCapabilities.MergeLists, "MergeLists");
        foreach (var id in ids)
        {
            CheckListId(id, nameof(listIds));
        }

        return TracedAsync("MergeLists", null, () => MergeListsCoreAsync(name, ids, cancellationToken));
    }

    public Task<ContactListImport> ImportFileAsync(string listName, ContactListFile file, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(listName))
        {
            throw new ContactListValidationException("The imported list needs a name that is not empty or white space.", nameof(listName));
        }

        CheckListName(listName, nameof(listName));

        ArgumentNullException.ThrowIfNull(file);
        Require(ContactListCapabilities.ImportFile, "ImportFile");
        return TracedAsync("ImportFile", null, () => ImportFileCoreAsync(listName, file, cancellationToken));
    }

    /// <summary>
    /// The health probe: the cheapest authenticated read the provider documents, never a write. Returns
    /// <see langword="false"/> when the provider documents no such read (the health check then falls back to the
    /// account's token request, for OAuth2 providers, or reports the account as not probed).
    /// </summary>
    internal virtual Task<bool> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    protected virtual IAsyncEnumerable<ContactList> GetListsCoreAsync(CancellationToken cancellationToken) => throw NotSupported("ListLists");

    protected virtual Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("GetList");

    protected virtual Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken) => throw NotSupported("CreateList");

    protected virtual Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken) => throw NotSupported("UpdateList");

    protected virtual Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("DeleteList");

    protected virtual Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("CountContacts");

    protected virtual IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("GetContacts");

    protected virtual Task<ContactList> MergeListsCoreAsync(string name, IReadOnlyList<string> listIds, CancellationToken cancellationToken) => throw NotSupported("MergeLists");

    protected virtual Task<ContactListImport> ImportFileCoreAsync(string listName, ContactListFile file, CancellationToken cancellationToken) => throw NotSupported("ImportFile");

    /// <summary>Sends one batch of a bulk operation (the contacts are already checked, normalized and de-duplicated).</summary>
    /// <param name="action">What to do with the batch: a replace arrives as its steps (<see cref="BatchAction.Overwrite"/> for the first batch of a native overwrite, <see cref="BatchAction.Add"/> otherwise).</param>
    /// <param name="listId">The list.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task<BatchResponse> SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken)
        => throw NotSupported(action + "Contacts");

    /// <summary>Empties a list (the first step of <see cref="ReplaceStrategy.EmptyThenAdd"/>).</summary>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task EmptyListAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("ReplaceContacts");

    /// <summary>
    /// The identity a contact is sent under, to send each identity once per bulk run. By default the field of
    /// <see cref="Identity"/>; providers that accept several (an id, else a phone, else an e-mail) override it.
    /// </summary>
    /// <param name="normalized">The checked contact.</param>
    protected virtual string? IdentityKey(Contact normalized) => Identity switch
    {
        ContactIdentity.Phone => normalized.Phone,
        ContactIdentity.Email => normalized.Email?.ToUpperInvariant(),
        _ => normalized.Id,
    };

    /// <summary>
    /// Sets up what a bulk call's batches share (for providers that resolve contact ids: the reads planned for the
    /// call), handed to each batch as <see cref="BulkBatch.Call"/> and disposed after the call when disposable.
    /// <paramref name="expectedContacts"/> is the input's size when known. By default nothing.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="listId">The list.</param>
    /// <param name="expectedContacts">How many contacts the input holds, when known.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    protected virtual Task<object?> BeginBulkCallAsync(BulkOperation operation, string listId, long? expectedContacts, CancellationToken cancellationToken)
        => Task.FromResult<object?>(null);

    /// <summary>
    /// Starts a call of a <see cref="ContactDirectory"/>: a replace reads the list's members once, first (they are kept
    /// as they are, and the others removed after the adds).
    /// </summary>
    private protected static async Task<object?> BeginDirectoryCallAsync(ContactDirectory directory, BulkOperation operation, string listId, long? expectedContacts, CancellationToken cancellationToken)
    {
        var call = directory.BeginCall(operation, listId, expectedContacts);
        await call.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return call;
    }

    /// <summary>
    /// The ids of the list's members before a replace by difference, to remove those the new set does not hold. By
    /// default the list is read (after the adds); an adapter that read it for the call already returns those ids.
    /// </summary>
    /// <param name="listId">The list.</param>
    /// <param name="call">What <see cref="BeginBulkCallAsync"/> set up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    protected virtual async Task<IReadOnlyList<string>> FormerMemberIdsAsync(string listId, object? call, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var member in GetContactsCoreAsync(listId, cancellationToken).ConfigureAwait(false))
        {
            if (member.Id is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Removes members by provider id (the second half of a replace by difference).</summary>
    /// <param name="listId">The list.</param>
    /// <param name="memberIds">At most <see cref="DefaultBatchSize"/> ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
        => throw NotSupported("ReplaceContacts");

    /// <summary>Called when a replace reads no contact at all: empties the list where the provider can; refuses otherwise, since no provider call can be made of nothing.</summary>
    private Task OnEmptyReplaceAsync(string listId, CancellationToken cancellationToken) => ReplaceStrategy == ReplaceStrategy.EmptyThenAdd
        ? EmptyListAsync(listId, cancellationToken)
        : throw new ContactListValidationException($"{ProviderName} cannot replace a list's contacts with none; delete the list or remove its contacts instead.", paramName: null);

    /// <summary>
    /// As <see cref="Prepare"/>, first reading the provider's fields from the account when an attribute finds no place
    /// among those known (SlickText's custom fields: read once, and only when a contact needs them).
    /// </summary>
    internal async ValueTask<ContactCheck> PrepareAsync(Contact contact, ContactRules rules, CancellationToken cancellationToken)
    {
        if (rules.FieldsIncomplete && contact.Attributes.Keys.Any(key => !HasPlace(key, rules)))
        {
            await rules.ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        }

        return Prepare(contact, rules);
    }

    private static bool HasPlace(string key, ContactRules rules)
    {
        var target = rules.AttributeMap.TryGetValue(key, out var mapped) ? mapped : key;
        return rules.Fields.CustomFieldOf(target) is not null || rules.Fields.AcceptsAnyAttribute;
    }

    /// <summary>
    /// Checks a contact as the operation will send it: places its attributes on the provider's fields (an attribute
    /// with no place is left out and reported, or refuses the contact under <see cref="UnplacedAttributeHandling.Reject"/>),
    /// leaves out the standard fields the provider does not store, then runs the adapter's own checks.
    /// </summary>
    internal ContactCheck Prepare(Contact contact, ContactRules rules)
    {
        List<string>? dropped = null;
        if (contact.Attributes.Count > 0)
        {
            var placed = new Dictionary<string, string>(contact.Attributes.Count, StringComparer.Ordinal);
            foreach (var (key, value) in contact.Attributes)
            {
                var target = rules.AttributeMap.TryGetValue(key, out var mapped) ? mapped : key;
                var field = rules.Fields.CustomFieldOf(target);
                var collides = rules.Fields.Fields.Any(f => f.Kind == ContactFieldKind.Standard && string.Equals(f.ProviderField, target, StringComparison.OrdinalIgnoreCase));
                if (field is not null)
                {
                    placed[field.Name] = value;
                }
                else if (rules.Fields.AcceptsAnyAttribute && !collides)
                {
                    placed[target] = value;
                }
                else if (rules.Unplaced == UnplacedAttributeHandling.Reject)
                {
                    return ContactCheck.Invalid($"Attributes[{key}]", collides
                        ? $"would overwrite the field a Contact property is sent as ('{target}')"
                        : $"has no place on {ProviderName} (its fields: {string.Join(", ", rules.Fields.Fields.Where(f => f.Kind == ContactFieldKind.Custom && f.Stored).Select(f => f.Name))}); map it with AttributeMap");
                }
                else
                {
                    (dropped ??= []).Add($"Attributes[{key}]");
                }
            }

            contact = contact with { Attributes = placed };
        }

        // Standard fields the provider does not store are left out (Octopush has no e-mail), never refused.
        contact = LeaveOut(contact, nameof(Contact.Email), contact.Email, c => c with { Email = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.Phone), contact.Phone, c => c with { Phone = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.FirstName), contact.FirstName, c => c with { FirstName = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.LastName), contact.LastName, c => c with { LastName = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.ExternalId), contact.ExternalId, c => c with { ExternalId = null }, rules, ref dropped);

        var check = CheckContact(contact, rules);
        return check.IsValid && dropped is not null ? check with { Dropped = [.. dropped, .. check.Dropped ?? []] } : check;

        static Contact LeaveOut(Contact contact, string name, string? value, Func<Contact, Contact> clear, ContactRules rules, ref List<string>? dropped)
        {
            if (value is null || rules.Fields.Standard(name) is not { Stored: false })
            {
                return contact;
            }

            (dropped ??= []).Add(name);
            return clear(contact);
        }
    }

    /// <summary>The rules of one operation: the account's phone check, region, field model and attribute map, with the call's on top.</summary>
    internal ContactRules RulesFor(BulkOptions? options) => RulesFor(options, FieldModel, FieldModelIsPartial ? LoadFieldModelAsync : null);

    private ContactRules RulesFor(BulkOptions? options, ContactFieldModel fields, Func<CancellationToken, Task<ContactFieldModel>>? readFields)
    {
        var map = new Dictionary<string, string>(ClientOptions.AttributeMap, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, field) in options?.AttributeMap ?? new Dictionary<string, string>())
        {
            map[key] = field;
        }

        return new ContactRules(ClientOptions.PhoneNumberCheck, options?.DefaultRegion ?? ClientOptions.DefaultRegion, fields, map, ClientOptions.UnplacedAttributes, readFields);
    }

    /// <summary>
    /// Checks and normalizes a contact before it is sent: the identity field (<see cref="Identity"/>) must be present
    /// and valid. Adapters add their own rules (lengths, required fields) and call this first. Attributes are already
    /// placed on the provider's fields (their keys are the fields' names) and unstored fields left out.
    /// </summary>
    protected virtual ContactCheck CheckContact(Contact contact, ContactRules rules)
    {
        switch (Identity)
        {
            case ContactIdentity.Phone:
                if (!rules.TryPhone(contact.Phone, out var phone, out var phoneReason))
                {
                    return ContactCheck.Invalid(nameof(Contact.Phone), phoneReason);
                }

                contact = contact.Phone == phone ? contact : contact with { Phone = phone };
                break;
            case ContactIdentity.Email:
                if (!ContactRules.TryEmail(contact.Email, out var email, out var emailReason))
                {
                    return ContactCheck.Invalid(nameof(Contact.Email), emailReason);
                }

                contact = contact.Email == email ? contact : contact with { Email = email };
                break;
            case ContactIdentity.ProviderId:
                if (string.IsNullOrWhiteSpace(contact.Id))
                {
                    return ContactCheck.Invalid(nameof(Contact.Id), "is required");
                }

                break;
        }

        return ContactCheck.Valid(contact);
    }

    protected ContactListOperationNotSupportedException NotSupported(string operation, string? detail = null)
        => new(ProviderName, operation, detail);

    private void Require(ContactListCapabilities capability, string operation)
    {
        if (!Capabilities.HasFlag(capability))
        {
            throw NotSupported(operation);
        }
    }

    /// <summary>
    /// An id must have visible content and no control characters. Characters such as <c>/</c>, <c>?</c>, <c>#</c> or
    /// <c>..</c> inside an id are allowed: the Refit layer escapes every id as one path segment, so an id never changes
    /// the path. An id that is exactly <c>.</c> or <c>..</c> is refused: as a whole segment it means "this" or "parent"
    /// to URI normalization (and to servers that decode <c>%2E</c>), so no escaping keeps it from changing the path.
    /// </summary>
    internal static void CheckId(string? id, string paramName)
    {
        if (id is null)
        {
            throw new ContactListValidationException("A list id is required, but it is null.", paramName);
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ContactListValidationException("A list id cannot be empty or white space.", paramName);
        }

        if (id.Any(char.IsControl))
        {
            throw new ContactListValidationException("A list id cannot contain control characters.", paramName);
        }

        if (id is "." or "..")
        {
            throw new ContactListValidationException($"A list id cannot be '{id}': as a path segment it would change the request's path.", paramName);
        }
    }

    private Task<BulkResult> RunBulkAsync(BulkOperation operation, string listId, IEnumerable<Contact> contacts, BulkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        PrepareBulk(operation, listId, options);
        options ??= DefaultBulkOptions;

        // A collection is already in memory: every contact is checked before the first request, so that bad input
        // fails before anything is sent. A stream is checked batch by batch instead, as it is read.
        var checkFirst = options.InvalidContacts == InvalidContactHandling.Throw && contacts is IReadOnlyCollection<Contact> or ICollection<Contact> ? contacts : null;
        long? total = options.ExpectedTotal ?? (contacts.TryGetNonEnumeratedCount(out var count) ? count : null);
        return TracedAsync(operation + "Contacts", listId, () => RunBulkCoreAsync(operation, listId, ToAsync(contacts, cancellationToken), options, cancellationToken, total, checkFirst));
    }

    private Task<BulkResult> RunBulkAsync(BulkOperation operation, string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        PrepareBulk(operation, listId, options);
        return TracedAsync(operation + "Contacts", listId, () => RunBulkCoreAsync(operation, listId, contacts, options ?? DefaultBulkOptions, cancellationToken, options?.ExpectedTotal));
    }

    private static readonly BulkOptions DefaultBulkOptions = new();

    /// <summary>
    /// Runs one neutral operation in a span (<c>ContactLists {operation}</c>) and records its duration and outcome:
    /// success, partial (a bulk result that is not complete), error or cancelled.
    /// </summary>
    private async Task<T> TracedAsync<T>(string operation, string? listId, Func<Task<T>> run)
    {
        using var activity = StartOperation(operation, listId);
        var started = TimeProvider.GetTimestamp();
        var outcome = "success";
        try
        {
            var result = await run().ConfigureAwait(false);
            if (result is BulkResult bulk)
            {
                outcome = bulk.IsComplete ? "success" : "partial";
                activity?.SetTag(ContactListsTelemetry.AcceptedTag, bulk.Accepted + bulk.AcceptedForProcessing);
                activity?.SetTag(ContactListsTelemetry.RejectedTag, bulk.Rejected.Count);
            }

            activity?.SetTag(ContactListsTelemetry.OutcomeTag, outcome);
            return result;
        }
        catch (Exception ex)
        {
            outcome = ContactListsTelemetry.FailureOutcome(ex);
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
        finally
        {
            RecordOperation(operation, outcome, started);
        }
    }

    /// <summary>As <see cref="TracedAsync"/>, for a stream: the span lasts from the first item asked for to the last.</summary>
    private async IAsyncEnumerable<T> TracedStreamAsync<T>(string operation, string? listId, IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = StartOperation(operation, listId);
        var started = TimeProvider.GetTimestamp();
        var outcome = "success";
        var items = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    outcome = ContactListsTelemetry.FailureOutcome(ex);
                    ContactListsTelemetry.SetFailure(activity, ex);
                    throw;
                }

                if (!more)
                {
                    activity?.SetTag(ContactListsTelemetry.OutcomeTag, outcome);
                    break;
                }

                yield return items.Current;
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
            RecordOperation(operation, outcome, started);
        }
    }

    private System.Diagnostics.Activity? StartOperation(string operation, string? listId)
    {
        var activity = ContactListsTelemetry.Source.StartActivity("ContactLists " + operation);
        if (activity is not null)
        {
            activity.SetTag(ContactListsTelemetry.ProviderTag, ProviderName);
            activity.SetTag(ContactListsTelemetry.AccountTag, ClientName);
            activity.SetTag(ContactListsTelemetry.OperationTag, operation);
            activity.SetTag(ContactListsTelemetry.ListTag, listId);
        }

        return activity;
    }

    private void RecordOperation(string operation, string outcome, long started)
    {
        var tags = ContactListsTelemetry.AccountTags(ProviderName, ClientName);
        tags.Add(ContactListsTelemetry.OperationTag, operation);
        tags.Add(ContactListsTelemetry.OutcomeTag, outcome);
        ContactListsTelemetry.OperationDuration.Record(TimeProvider.GetElapsedTime(started).TotalSeconds, tags);
    }

    private void PrepareBulk(BulkOperation operation, string listId, BulkOptions? options)
    {
        CheckId(listId, nameof(listId));
        if (options?.ExpectedTotal is < 0)
        {
            throw new ContactListValidationException($"BulkOptions.ExpectedTotal cannot be negative, but is {options.ExpectedTotal}.", nameof(options));
        }

        if (options?.BatchSize is < 1)
        {
            throw new ContactListValidationException($"BulkOptions.BatchSize must be at least 1, but is {options.BatchSize}.", nameof(options));
        }

        if (options?.MaxConcurrency is < 1 or > 64)
        {
            throw new ContactListValidationException($"BulkOptions.MaxConcurrency must be between 1 and 64, but is {options.MaxConcurrency}.", nameof(options));
        }

        if (options?.MaxBatchRetries is < 0 or > 100)
        {
            throw new ContactListValidationException($"BulkOptions.MaxBatchRetries must be between 0 and 100, but is {options.MaxBatchRetries}.", nameof(options));
        }

        if (options?.BatchRetryDelay < TimeSpan.Zero)
        {
            throw new ContactListValidationException("BulkOptions.BatchRetryDelay cannot be negative.", nameof(options));
        }

        if (options?.DefaultRegion is { } region && !ContactFieldRules.IsKnownRegion(region))
        {
            throw new ContactListValidationException($"BulkOptions.DefaultRegion must be an ISO 3166 region code libphonenumber knows (such as GB, FR, US), but is '{region}'.", nameof(options));
        }

        if (options?.Pacing is { } pacing && (pacing.BatchesPerWindow < 1 || pacing.Window <= TimeSpan.Zero))
        {
            throw new ContactListValidationException("BulkOptions.Pacing needs a positive BatchesPerWindow and Window.", nameof(options));
        }

        var capability = operation switch
        {
            BulkOperation.Add => ContactListCapabilities.AddContacts,
            BulkOperation.Remove => ContactListCapabilities.RemoveContacts,
            _ => ContactListCapabilities.ReplaceContacts,
        };
        Require(capability, operation + "Contacts");
        CheckListId(listId, nameof(listId));
    }

    private async Task<BulkResult> RunBulkCoreAsync(BulkOperation operation, string listId, IAsyncEnumerable<Contact> contacts, BulkOptions options, CancellationToken cancellationToken, long? total = null, IEnumerable<Contact>? checkFirst = null)
    {
        var rules = RulesFor(options);
        if (checkFirst is not null)
        {
            long index = 0;
            foreach (var contact in checkFirst)
            {
                var check = contact is null ? ContactCheck.Invalid("Contact", "is null") : await PrepareAsync(contact, rules, cancellationToken).ConfigureAwait(false);
                if (!check.IsValid)
                {
                    throw new ContactListValidationException(ProviderName, index, check.Field!, check.Reason!);
                }

                index++;
            }
        }

        var replace = operation == BulkOperation.Replace ? ReplaceStrategy : (ReplaceStrategy?)null;
        var kept = replace == ReplaceStrategy.Difference ? new ConcurrentDictionary<string, byte>(StringComparer.Ordinal) : null;
        var later = AppliesLater;
        var call = await BeginBulkCallAsync(operation, listId, total, cancellationToken).ConfigureAwait(false);
        using var disposeCall = call as IDisposable;
        var run = new BulkRun
        {
            Call = call,
            Provider = ProviderName,
            Account = ClientName,
            Logger = Logger,
            ListId = listId,
            Operation = operation,
            BatchSize = Math.Min(options.BatchSize ?? DefaultBatchSizeFor(operation), MaxBatchSizeFor(operation)),
            Options = options,
            Check = (contact, ct) => PrepareAsync(contact, rules, ct),
            IdentityOf = IdentityKey,
            Send = replace switch
            {
                null => (batch, ct) => SendBatchAsync(operation == BulkOperation.Add ? BatchAction.Add : BatchAction.Remove, listId, batch, ct),
                ReplaceStrategy.OverwriteFirstBatch => (batch, ct) => SendBatchAsync(batch.Index == 0 ? BatchAction.Overwrite : BatchAction.Add, listId, batch, ct),
                ReplaceStrategy.EmptyThenAdd => SendEmptyThenAddAsync,
                ReplaceStrategy.Difference => SendAndKeepAsync,
                _ => throw NotSupported("ReplaceContacts"),
            },
            FirstBatchAlone = replace is ReplaceStrategy.OverwriteFirstBatch or ReplaceStrategy.EmptyThenAdd,
            SeveralBatchesReason = replace == ReplaceStrategy.OverwriteFirstBatch
                ? "The first batch replaced the list's members and the later batches added to them: had one failed, the list would hold part of the new set." + (later is null ? string.Empty : " " + later)
                : null,
            NonAtomicReason = replace switch
            {
                ReplaceStrategy.EmptyThenAdd => $"{ProviderName} has no replace call: the list was emptied, then the contacts added; in between, the list held fewer members.",
                ReplaceStrategy.Difference => $"{ProviderName} has no replace call: the new members were added, then the former ones removed; in between, the list held both.",
                _ => null,
            },
            TimeProvider = TimeProvider,
            Total = total,
        };
        var result = await BulkEngine.RunAsync(run, contacts, cancellationToken).ConfigureAwait(false);
        if (replace == ReplaceStrategy.Difference)
        {
            return await RemoveFormerMembersAsync(listId, kept!, result, call, cancellationToken).ConfigureAwait(false);
        }

        if (replace is not null && result.Batches.Count == 0)
        {
            await OnEmptyReplaceAsync(listId, cancellationToken).ConfigureAwait(false);
        }

        return result;

        async Task<BatchResponse> SendEmptyThenAddAsync(BulkBatch batch, CancellationToken ct)
        {
            if (batch.Index != 0)
            {
                return await SendBatchAsync(BatchAction.Add, listId, batch, ct).ConfigureAwait(false);
            }

            await EmptyListAsync(listId, ct).ConfigureAwait(false);
            var response = await SendBatchAsync(BatchAction.Add, listId, batch, ct).ConfigureAwait(false);
            return response with { Action = "empty + " + response.Action };
        }

        async Task<BatchResponse> SendAndKeepAsync(BulkBatch batch, CancellationToken ct)
        {
            var response = await SendBatchAsync(BatchAction.Add, listId, batch, ct).ConfigureAwait(false);
            foreach (var id in response.MemberIds ?? [])
            {
                kept![id] = 0;
            }

            return response;
        }
    }

    /// <summary>
    /// The second half of a replace by difference: removes every member the new set does not hold. The members are
    /// known in full first (read once: by the call, or now), so removing does not shift the pages being read.
    /// </summary>
    private async Task<BulkResult> RemoveFormerMembersAsync(string listId, ConcurrentDictionary<string, byte> kept, BulkResult result, object? call, CancellationToken cancellationToken)
    {
        var leaving = (await FormerMemberIdsAsync(listId, call, cancellationToken).ConfigureAwait(false)).Where(id => !kept.ContainsKey(id)).ToList();

        foreach (var chunk in leaving.Chunk(DefaultBatchSize))
        {
            await RemoveMemberIdsAsync(listId, chunk, cancellationToken).ConfigureAwait(false);
        }

        return result.WithFormerMembersRemoved(leaving.Count);
    }

    private static async IAsyncEnumerable<Contact> ToAsync(IEnumerable<Contact> contacts, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var contact in contacts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return contact;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
