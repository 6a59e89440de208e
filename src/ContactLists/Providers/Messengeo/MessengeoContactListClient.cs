using ContactLists.Http;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContactLists.Bulk;
using ContactLists.Identity;
using Refit;
using ContactLists.Adapters;
using ContactLists.Resolution;
using static ContactLists.Providers.Messengeo.MessengeoContacts;

namespace ContactLists.Providers.Messengeo;

/// <summary>
/// The neutral client over Messengeo (Digitaleo's contacts API). Lists have full management, merge and file import;
/// membership works on Messengeo contact ids, so a <see cref="Contact"/> without <see cref="Contact.Id"/> is looked up
/// by mobile number or e-mail and, when adding, created. Replace is composed (add the new set, remove the others).
/// </summary>
internal sealed class MessengeoContactListClient(ClientWiring wiring, IMessengeoApi api, MessengeoOptions options, Sharing.IContactIdentityMap identities)
    : ContactListClientBase(MessengeoProvider.Name, options, wiring)
{
    // Known ids older than the verify window are checked in bulk (the id filter takes many ids) before they are used.
    private protected override ContactDirectory Directory { get; } = new(MessengeoProvider.Name, wiring.Account, identities, new MessengeoContactSource(api, options), wiring.TimeProvider, options.VerifyKnownContactsAfter);

    // Every property the SDK maps is asked for by name: dateCreated is outside the documented default set, and the
    // default set of contacts is not documented at all.
    private const string ListProperties = "DEFAULT,stats,dateCreated";

    private const string ImportProperties = "DEFAULT,importStatus,importLines,importInvalid,importErrors";
    private static readonly string[] ImportTypes = [".csv", ".xls", ".xlsx", ".zip"];

    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.ListLists | ContactListCapabilities.GetList | ContactListCapabilities.CreateList |
        ContactListCapabilities.UpdateList | ContactListCapabilities.DeleteList | ContactListCapabilities.CountContacts |
        ContactListCapabilities.GetContacts | ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts |
        ContactListCapabilities.ReplaceContacts | ContactListCapabilities.MergeLists | ContactListCapabilities.ImportFile |
        ContactListCapabilities.UpdateContacts;

    /// <summary>One list's id (<c>GET /rest/lists?limit=1&amp;properties=id</c>), which also proves the OAuth2 credentials.</summary>
    internal override async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        await api.ReadListsAsync(properties: "id", limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override ContactIdentity Identity => ContactIdentity.ProviderId;

    protected override int MaxBatchSize => MessengeoOptions.MaxContactsPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.Difference;

    protected override void CheckListId(string listId, string paramName)
    {
        // Filters take comma-separated ids: an id with a comma would address several lists.
        if (!long.TryParse(listId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id <= 0)
        {
            throw new ContactListValidationException($"Messengeo list ids are positive numbers, but '{listId}' is not.", paramName);
        }
    }

    protected override async IAsyncEnumerable<ContactList> GetListsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lists = new Pages<MessengeoList>(ProviderName, "the account's lists", async (offset, ct) =>
        {
            var page = await api.ReadListsAsync(properties: ListProperties, limit: options.PageSize, offset: offset, sort: "id ASC", total: "true", cancellationToken: ct).ConfigureAwait(false);
            return PageOf(page.List, page.Total);
        }, list => list.Id);
        await foreach (var list in lists.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToContactList(list);
        }
    }

    protected override async Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken)
        => ToContactList(await ReadOneAsync(listId, ListProperties, cancellationToken).ConfigureAwait(false));

    protected override async Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["name"] = list.Name };
        if (list.Description is not null)
        {
            form["description"] = list.Description;
        }

        var created = await api.CreateListAsync(form, cancellationToken).ConfigureAwait(false);
        return ToContactList(First(created, "create list"));
    }

    protected override async Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken)
    {
        if (update.Archived is not null)
        {
            throw new ContactListValidationException("Messengeo lists cannot be archived; leave Archived null.", nameof(update));
        }

        var metaData = new Dictionary<string, string>();
        if (update.Name is not null)
        {
            metaData["name"] = update.Name;
        }

        if (update.Description is not null)
        {
            metaData["description"] = update.Description;
        }

        var result = await api.UpdateListsAsync(listId, new Dictionary<string, string> { ["metaData"] = MetaData(metaData) }, cancellationToken).ConfigureAwait(false);
        if (result.Count == 0)
        {
            throw NotFound(listId);
        }

        return await GetListCoreAsync(listId, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken)
    {
        var result = await api.DeleteListsAsync(listId, cancellationToken).ConfigureAwait(false);
        return result.Count == 0 ? throw NotFound(listId) : new ContactListDeletion(listId, IsSoftDelete: false, List: null);
    }

    protected override async Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken)
    {
        var list = await ReadOneAsync(listId, ListProperties, cancellationToken).ConfigureAwait(false);
        return Subscribers(list) ?? throw new ContactListException($"Messengeo returned list {listId} without stats.subscribers.", ProviderError.NoResponse(ProviderName));
    }

    protected override async IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var contact in MembersAsync(listId, cancellationToken).ConfigureAwait(false))
        {
            yield return ToContact(contact);
        }
    }

    protected override async Task<ContactList> MergeListsCoreAsync(string name, IReadOnlyList<string> listIds, CancellationToken cancellationToken)
    {
        var merged = await api.MergeListsAsync(new Dictionary<string, string> { ["listIds"] = string.Join(',', listIds), ["name"] = name }, cancellationToken).ConfigureAwait(false);
        return ToContactList(First(merged, "merge"));
    }

    protected override async Task<ContactListImport> ImportFileCoreAsync(string listName, ContactListFile file, CancellationToken cancellationToken)
    {
        if (Array.IndexOf(ImportTypes, file.Extension) < 0)
        {
            throw new ContactListValidationException($"Messengeo imports .csv, .xls, .xlsx or .zip files, not '{file.FileName}'.", nameof(file));
        }

        if (file.Length is { } length && length > MessengeoOptions.MaxImportFileBytes)
        {
            throw new ContactListValidationException($"Messengeo imports files of at most 20 MB, but '{file.FileName}' has {length:N0} bytes.", nameof(file));
        }

        if (file.Length is 0)
        {
            throw new ContactListValidationException($"'{file.FileName}' is empty.", nameof(file));
        }

        var contentType = file.Extension switch
        {
            ".csv" => "text/csv",
            ".xls" => "application/vnd.ms-excel",
            ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _ => "application/zip",
        };
        var ignoreFirstLine = (options.ImportFirstLineFlag, file.HasHeaderRow) switch
        {
            (MessengeoImportFlagEncoding.OneZero, true) => "1",
            (MessengeoImportFlagEncoding.OneZero, false) => "0",
            (_, true) => "true",
            _ => "false",
        };
        var part = new StreamPart(file.Content, file.FileName, contentType);
        var created = options.ImportParameterPlacement == MessengeoImportParameterPlacement.Query
            ? await api.ImportListWithQueryParametersAsync(listName, ignoreFirstLine, part, cancellationToken).ConfigureAwait(false)
            : await api.ImportListAsync(listName, ignoreFirstLine, part, cancellationToken).ConfigureAwait(false);
        var list = First(created, "import");
        var import = new MessengeoListImport(list.Id!, this, options, TimeProvider);
        import.Apply(list);
        return import;
    }

    // Contacts without an id are looked up, many per request where the filters allow it (one per contact otherwise);
    // contacts Messengeo does not know are created a batch per request; memberships go a batch per request.
    internal override IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds) =>
    [
        new(HttpMethod.Get, "/rest/contacts", withIds ? 0 : ContactDirectory.PlannedReads(contacts, Directory.Source.FindCost(contacts), options.PageSize)
            + (operation == BulkOperation.Replace ? PlannedRequests.Batches(contacts, options.PageSize) : 0)),
        new(HttpMethod.Post, "/rest/contacts", withIds || operation is BulkOperation.Remove or BulkOperation.Update ? 0 : PlannedRequests.Batches(contacts, batchSize)),
        // An update is one request per contact (each has its own values); memberships go a batch per request.
        new(HttpMethod.Put, "/rest/contacts", operation == BulkOperation.Update ? contacts : 0),
        new(HttpMethod.Post, "/rest/lists", operation == BulkOperation.Update ? 0 : PlannedRequests.Batches(contacts, batchSize)),
    ];

    protected override ContactFieldModel FieldModel { get; } = new()
    {
        Provider = MessengeoProvider.Name,
        Fields =
        [
            new(nameof(Contact.Phone), "mobile", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "E.164; finds the contact when it has no Id", Updated = false },
            new(nameof(Contact.Email), "email", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "finds the contact when it has no Id or Phone" },
            new(nameof(Contact.FirstName), "firstName", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.LastName), "lastName", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.ExternalId), "reference", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            .. CustomFieldNames.Select(name => new ContactField(name, name, ContactFieldKind.Custom, Stored: true, ReadBack: true)
            {
                Note = name.StartsWith("field", StringComparison.Ordinal) ? "free text" : "a documented contact property",
            }),
        ],
    };

    // A Messengeo id, or a phone or an e-mail to find the contact by; both are checked (an invalid e-mail makes Messengeo refuse a create).
    protected override ContactCheck CheckContact(Contact contact, ContactRules rules) => rules.ProviderIdOrFindable(contact, ProviderName, emailAlongsidePhone: true);

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var call = CallOf(batch, listId);
        if (action == BatchAction.Update)
        {
            return await UpdateAsync(call, batch, cancellationToken).ConfigureAwait(false);
        }

        var remove = action == BatchAction.Remove;
        return await call.SendMembershipsAsync(batch.Contacts, remove, remove ? "contactremove" : "contactadd", async (ids, ct) =>
        {
            var form = MembershipForm(listId, ids);
            var answer = remove
                ? await api.RemoveContactsAsync(form, ct).ConfigureAwait(false)
                : await api.AddContactsAsync(form, ct).ConfigureAwait(false);
            return new MembershipAnswer(answer.Count);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates each contact of a batch (<c>PUT /rest/contacts?id=…</c> with its properties in <c>metaData</c>, one request
    /// per contact: each has its own values), found by its id, or its mobile or e-mail, never created. The opt-out
    /// properties are never sent. A contact Messengeo does not know (a count of 0) is rejected.
    /// </summary>
    private Task<BatchResponse> UpdateAsync(ResolutionCall call, BulkBatch batch, CancellationToken cancellationToken)
        => call.UpdateEachAsync(batch.Contacts, options.ResolveConcurrency, async (id, contact, ct) =>
            (await api.UpdateContactsAsync(id, new Dictionary<string, string> { ["metaData"] = MetaData(Properties(contact)) }, ct).ConfigureAwait(false)).Count > 0, cancellationToken);

    protected override Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
        => api.RemoveContactsAsync(MembershipForm(listId, memberIds), cancellationToken);

    internal async Task<MessengeoList> ReadOneAsync(string listId, string properties, CancellationToken cancellationToken)
    {
        var answer = await api.ReadListsAsync(id: listId, properties: properties, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer.List.FirstOrDefault(l => l.Id == listId) ?? throw NotFound(listId);
    }

    internal static string ImportPropertiesToRead => ImportProperties;

    private IAsyncEnumerable<MessengeoContact> MembersAsync(string listId, CancellationToken cancellationToken)
        => new Pages<MessengeoContact>(ProviderName, $"the members of list {listId}", async (offset, ct) =>
        {
            var page = await api.ReadContactsAsync(new Dictionary<string, string> { [options.MembersFilter] = listId }, MemberProperties, options.PageSize, offset, "true", ct).ConfigureAwait(false);
            return PageOf(page.List, page.Total);
        }, contact => contact.Id).ReadAllAsync(cancellationToken);

    private static Dictionary<string, string> MembershipForm(string listId, IEnumerable<string> contactIds)
        => new() { ["id"] = listId, ["metaData"] = MetaData(new Dictionary<string, string> { ["contactIds"] = string.Join(',', contactIds) }) };

    private ContactListNotFoundException NotFound(string listId)
        => new($"Messengeo has no list {listId}.", new ProviderError(ProviderName, System.Net.HttpStatusCode.NotFound, null, null, []));

    private MessengeoList First(MessengeoListEnvelope envelope, string call)
        => envelope.List.FirstOrDefault(l => l.Id is not null)
            ?? throw new ContactListException($"Messengeo's answer to {call} held no list.", ProviderError.NoResponse(ProviderName));

    internal static long? Subscribers(MessengeoList list)
        => list.Stats is { } stats && stats.TryGetValue("subscribers", out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetInt64() : long.TryParse(value.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null
            : null;

    private ContactList ToContactList(MessengeoList list) => new()
    {
        Id = list.Id!,
        Name = list.Name,
        Description = list.Description,
        CreatedAt = ZonelessTimes.Read(list.DateCreated, ZonelessTimes.Zone(options.TimeZoneId)),
        ContactCount = Subscribers(list),
        Status = ContactListStatus.Active,
    };

}
