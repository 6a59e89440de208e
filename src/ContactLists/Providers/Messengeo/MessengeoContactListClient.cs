using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using ContactLists.Bulk;
using ContactLists.Identity;
using Refit;
using ContactLists.Adapters;

namespace ContactLists.Providers.Messengeo;

/// <summary>
/// The neutral client over Messengeo (Digitaleo's contacts API). Lists have full management, merge and file import;
/// membership works on Messengeo contact ids, so a <see cref="Contact"/> without <see cref="Contact.Id"/> is looked up
/// by mobile number or e-mail and, when adding, created. Replace is composed (add the new set, remove the others).
/// </summary>
internal sealed class MessengeoContactListClient(string clientName, IMessengeoApi api, MessengeoOptions options, TimeProvider timeProvider,
    Sharing.ProviderAccount account, Sharing.IContactIdentityMap identities)
    : ContactListClientBase(MessengeoProvider.Name, clientName, options, timeProvider), IContactSource
{
    // Known ids older than the verify window are checked in bulk (the id filter takes many ids) before they are used.
    private ContactDirectory Directory => _directory ??= new ContactDirectory(ProviderName, account, identities, this, TimeProvider, options.VerifyKnownContactsAfter);

    private ContactDirectory? _directory;

    // Whether the mobile and email filters read a comma as several values: unknown until a lookup with a canary shows it.
    private bool? _multiValueFilters;
    private Contact? _canary;

    // Every property the SDK maps is asked for by name: dateCreated is outside the documented default set, and the
    // default set of contacts is not documented at all.
    private const string ListProperties = "DEFAULT,stats,dateCreated";

    /// <summary>The contact properties Messengeo documents beyond the neutral ones: the free fields field01..field15, then the identity and address ones.</summary>
    private static readonly string[] CustomFieldNames =
    [
        .. Enumerable.Range(1, 15).Select(i => $"field{i:D2}"),
        "civility", "address1", "address2", "zipcode", "city", "state", "country", "birthDate", "company", "phone", "fax",
    ];

    // Declared after CustomFieldNames: static fields are initialized in order.
    private static readonly string MemberProperties = "id,mobile,email,firstName,lastName,reference,listIds,smsOptout,emailOptout," + string.Join(',', CustomFieldNames);

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
        var offset = 0;
        while (true)
        {
            var page = await api.ReadListsAsync(properties: ListProperties, limit: options.PageSize, offset: offset, sort: "id ASC", total: "true", cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var list in page.List)
            {
                yield return ToContactList(list);
            }

            offset += page.List.Count;
            if (IsLastPage(page.List.Count, page.Total, offset))
            {
                yield break;
            }
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
        new(HttpMethod.Get, "/rest/contacts", withIds ? 0 : ContactDirectory.PlannedReads(contacts, ((IContactSource)this).FindCost(contacts), options.PageSize)
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

    protected override Task<object?> BeginBulkCallAsync(BulkOperation operation, string listId, long? expectedContacts, CancellationToken cancellationToken)
        => BeginDirectoryCallAsync(Directory, operation, listId, expectedContacts, cancellationToken);

    protected override Task<IReadOnlyList<string>> FormerMemberIdsAsync(string listId, object? call, CancellationToken cancellationToken)
        => call is ContactDirectory.Call { ListReadWhole: true } read ? Task.FromResult<IReadOnlyList<string>>([.. read.MemberIds]) : base.FormerMemberIdsAsync(listId, call, cancellationToken);

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var call = (ContactDirectory.Call?)batch.Call ?? Directory.BeginCall(BulkOperation.Add, listId, batch.Contacts.Count);
        if (action == BatchAction.Update)
        {
            return await UpdateAsync(call, batch, cancellationToken).ConfigureAwait(false);
        }

        var remove = action == BatchAction.Remove;
        var resolution = await call.ResolveAsync(batch.Contacts, create: !remove, cancellationToken).ConfigureAwait(false);
        var resolved = resolution.Ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        // In a replace, contacts the list already holds (read once for the call) need no membership call.
        var send = remove || call.Operation != BulkOperation.Replace || !call.ListReadWhole ? resolved : [.. resolved.Where(id => !call.IsMember(id))];

        long? count = null;
        if (send.Length > 0)
        {
            var form = MembershipForm(listId, send);
            count = (remove
                ? await api.RemoveContactsAsync(form, cancellationToken).ConfigureAwait(false)
                : await api.AddContactsAsync(form, cancellationToken).ConfigureAwait(false)).Count;
        }

        return new BatchResponse(
            BatchStatus.Accepted,
            remove ? "contactremove" : "contactadd",
            resolution.Rejected,
            count is null ? null : $"count: {count}",
            ProviderCounts: count is null ? null : new Dictionary<string, long> { ["count"] = count.Value },
            MemberIds: resolved,
            Unresolved: resolution.Unresolved);
    }

    /// <summary>
    /// Updates each contact of a batch (<c>PUT /rest/contacts?id=…</c> with its properties in <c>metaData</c>, one request
    /// per contact: each has its own values), found by its id, or its mobile or e-mail, never created. The opt-out
    /// properties are never sent. A contact Messengeo does not know (a count of 0) is rejected.
    /// </summary>
    private async Task<BatchResponse> UpdateAsync(ContactDirectory.Call call, BulkBatch batch, CancellationToken cancellationToken)
    {
        var resolved = await call.ResolveAsync(batch.Contacts, create: false, cancellationToken).ConfigureAwait(false);
        var rejected = new System.Collections.Concurrent.ConcurrentBag<(int Position, string Reason)>(resolved.Rejected);
        var failed = new System.Collections.Concurrent.ConcurrentBag<(int Position, Exception Error)>(resolved.Unresolved);
        var positions = Enumerable.Range(0, batch.Contacts.Count).Where(p => resolved.Ids[p] is not null);
        await Parallel.ForEachAsync(positions, new ParallelOptions { MaxDegreeOfParallelism = options.ResolveConcurrency, CancellationToken = cancellationToken }, async (position, ct) =>
        {
            var id = resolved.Ids[position]!;
            try
            {
                var updated = await api.UpdateContactsAsync(id, new Dictionary<string, string> { ["metaData"] = MetaData(Properties(batch.Contacts[position])) }, ct).ConfigureAwait(false);
                if (updated.Count == 0)
                {
                    rejected.Add((position, $"Messengeo no longer has contact {id}."));
                    await call.ForgetAsync(batch.Contacts, [position], ct).ConfigureAwait(false);
                }
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                failed.Add((position, ex));
            }
            catch (OperationCanceledException stopped) when (Http.SendingStop.IsAbandoned(stopped))
            {
                failed.Add((position, stopped));
            }
        }).ConfigureAwait(false);
        return new BatchResponse(BatchStatus.Accepted, "update contacts", [.. rejected.OrderBy(r => r.Position)], Unresolved: [.. failed.OrderBy(f => f.Position)]);
    }

    /// <summary>A contact's properties as Messengeo names them, for a create or an update: never an opt-out property.</summary>
    private static Dictionary<string, string> Properties(Contact contact)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, string? value)
        {
            if (value is not null)
            {
                properties[name] = value;
            }
        }

        Put("mobile", contact.Phone);
        Put("email", contact.Email);
        Put("firstName", contact.FirstName);
        Put("lastName", contact.LastName);
        Put("reference", contact.ExternalId);
        // Attributes arrive placed on the field model: field01..field15 and the documented properties, nothing else.
        foreach (var (key, value) in contact.Attributes)
        {
            Put(key, value);
        }

        return properties;
    }

    // The reads, lookups, creates and checks the directory plans a call's resolution with.
    async Task<ContactPage> IContactSource.ReadAccountAsync(int offset, CancellationToken cancellationToken)
    {
        var page = await api.ReadContactsAsync([], MemberProperties, options.PageSize, offset, "true", cancellationToken).ConfigureAwait(false);
        return Page(page, offset);
    }

    async Task<ContactPage> IContactSource.ReadListAsync(string listId, int offset, CancellationToken cancellationToken)
    {
        var page = await api.ReadContactsAsync(new Dictionary<string, string> { [options.MembersFilter] = listId }, MemberProperties, options.PageSize, offset, "true", cancellationToken).ConfigureAwait(false);
        return Page(page, offset);
    }

    private ContactPage Page(MessengeoContactEnvelope page, int offset)
    {
        var contacts = page.List.Select(ToContact).ToList();
        Remember(contacts);
        return new ContactPage(contacts, !IsLastPage(page.List.Count, page.Total, offset + page.List.Count), page.Total);
    }

    long IContactSource.FindCost(long contacts) => UsesMultiValueFilters ? (contacts + options.LookupValuesPerRequest - 1) / options.LookupValuesPerRequest : contacts;

    private bool UsesMultiValueFilters => options.ContactLookup switch
    {
        MessengeoContactLookup.OnePerRequest => false,
        MessengeoContactLookup.ManyPerRequest => true,
        _ => _multiValueFilters ?? true,
    };

    async Task<ContactLookup> IContactSource.FindAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        // One lookup per contact at most: by its mobile number (when lookups by mobile are on), else its e-mail.
        var byMobile = contacts.Where(c => c.Phone is not null && options.FindContactsByMobile).ToList();
        var byEmail = contacts.Where(c => (c.Phone is null || !options.FindContactsByMobile) && c.Email is not null).ToList();
        if (UsesMultiValueFilters)
        {
            var single = new List<Contact>();
            foreach (var (filter, group) in new[] { ("mobile", byMobile), ("email", byEmail) })
            {
                foreach (var chunk in group.Chunk(options.LookupValuesPerRequest))
                {
                    if (!await FindManyAsync(filter, chunk, found, failed, cancellationToken).ConfigureAwait(false))
                    {
                        // The filter took the comma as part of one value: each contact is looked up on its own instead.
                        single.AddRange(chunk);
                    }
                }
            }

            byMobile = [.. single.Where(c => c.Phone is not null && options.FindContactsByMobile)];
            byEmail = [.. single.Where(c => (c.Phone is null || !options.FindContactsByMobile) && c.Email is not null)];
        }

        await Parallel.ForEachAsync(byMobile.Select(c => ("mobile", c)).Concat(byEmail.Select(c => ("email", c))), new ParallelOptions { MaxDegreeOfParallelism = options.ResolveConcurrency, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var (filter, contact) = item;
            try
            {
                var page = await api.ReadContactsAsync(new Dictionary<string, string> { [filter] = filter == "mobile" ? contact.Phone! : contact.Email! }, MemberProperties, 1, cancellationToken: ct).ConfigureAwait(false);
                if (page.List.FirstOrDefault() is { Id: { } id } match)
                {
                    found[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = id;
                    Remember([ToContact(match)]);
                }
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                failed[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = ex;
            }
            catch (OperationCanceledException stopped) when (Http.SendingStop.IsAbandoned(stopped))
            {
                failed[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = stopped;
            }
        }).ConfigureAwait(false);
        return new ContactLookup(found, failed);
    }

    /// <summary>
    /// Looks up many contacts in one request (<c>mobile=a,b,c</c>), with, unless the comma form is known to work, a
    /// contact known to exist among the values: if it does not come back, Messengeo read the comma as part of one value,
    /// so an empty answer proves nothing and the contacts are looked up one by one (returns <see langword="false"/>).
    /// </summary>
    private async Task<bool> FindManyAsync(string filter, Contact[] chunk, System.Collections.Concurrent.ConcurrentDictionary<string, string> found, System.Collections.Concurrent.ConcurrentDictionary<string, Exception> failed, CancellationToken cancellationToken)
    {
        string Value(Contact c) => filter == "mobile" ? c.Phone! : c.Email!;
        var values = chunk.Select(Value).ToList();
        var canary = options.ContactLookup == MessengeoContactLookup.Auto && _multiValueFilters != true ? await CanaryAsync(filter, cancellationToken).ConfigureAwait(false) : null;
        if (canary is not null && !values.Contains(Value(canary), StringComparer.Ordinal))
        {
            values.Add(Value(canary));
        }

        List<MessengeoContact> answer;
        try
        {
            answer = await ReadAllAsync(new Dictionary<string, string> { [filter] = string.Join(',', values) }, MemberProperties, values.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
        {
            foreach (var contact in chunk)
            {
                failed[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = ex;
            }

            return true;
        }

        var matches = answer.Select(ToContact).ToList();
        if (canary is not null)
        {
            var works = matches.Any(m => m.Id == canary.Id);
            _multiValueFilters = works;
            if (!works)
            {
                return false;
            }
        }

        Remember(matches);
        foreach (var contact in chunk)
        {
            var value = Value(contact);
            var match = matches.FirstOrDefault(m => string.Equals(filter == "mobile" ? m.Phone : m.Email, value, filter == "mobile" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase));
            if (match?.Id is { } id)
            {
                found[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = id;
            }
        }

        return true;
    }

    /// <summary>A contact known to exist with a mobile number (or an e-mail, for <paramref name="filter"/> <c>email</c>): one seen in an answer, else the first the account gives. <see langword="null"/> when the account has none, where any answer is right.</summary>
    private async Task<Contact?> CanaryAsync(string filter, CancellationToken cancellationToken)
    {
        if (_canary is { } known && (filter == "mobile" ? known.Phone : known.Email) is not null)
        {
            return known;
        }

        var page = await api.ReadContactsAsync([], MemberProperties, 20, 0, cancellationToken: cancellationToken).ConfigureAwait(false);
        Remember(page.List.Select(ToContact));
        return _canary is { } seen && (filter == "mobile" ? seen.Phone : seen.Email) is not null ? seen : null;
    }

    /// <summary>Keeps a contact with both a mobile number and an e-mail, when one comes by, as the canary of multi-value lookups.</summary>
    private void Remember(IEnumerable<Contact> contacts)
    {
        if (_canary is { Phone: not null, Email: not null })
        {
            return;
        }

        foreach (var contact in contacts)
        {
            if (contact.Id is not null && (contact.Phone is not null || contact.Email is not null) && (_canary is null || (contact.Phone is not null && contact.Email is not null)))
            {
                _canary = contact;
            }
        }
    }

    async Task<ContactCreation> IContactSource.CreateAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var ids = new string?[contacts.Count];
        var rejected = new List<(int Position, string Reason)>();
        var unresolved = new List<(int Position, Exception Error)>();
        foreach (var chunk in Enumerable.Range(0, contacts.Count).Chunk(options.BatchSize))
        {
            try
            {
                await CreateAsync(contacts, [.. chunk], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                // This create failed (it may have arrived: its contacts are looked up before any is created again); the others go on.
                unresolved.AddRange(chunk.Select(p => (p, (Exception)ex)));
            }
        }

        return new ContactCreation(ids, rejected, unresolved);
    }

    async Task<IReadOnlySet<string>>? IContactSource.VerifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // The id filter is documented to take several values: which of these ids Messengeo still knows.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(options.LookupValuesPerRequest))
        {
            var found = await ReadAllAsync(new Dictionary<string, string> { ["id"] = string.Join(',', chunk) }, "id", chunk.Length, cancellationToken).ConfigureAwait(false);
            existing.UnionWith(found.Select(c => c.Id).OfType<string>());
        }

        return existing;
    }

    /// <summary>
    /// Every contact a filter selects: Messengeo documents no largest <c>limit</c>, so a server may answer fewer than
    /// asked; the total is asked for and the rest read, so that a contact cut off a short page is never taken for absent.
    /// </summary>
    private async Task<List<MessengeoContact>> ReadAllAsync(Dictionary<string, string> filters, string properties, int limit, CancellationToken cancellationToken)
    {
        var all = new List<MessengeoContact>();
        while (true)
        {
            var page = await api.ReadContactsAsync(filters, properties, limit, all.Count == 0 ? null : all.Count, "true", cancellationToken).ConfigureAwait(false);
            all.AddRange(page.List);
            if (IsLastPage(page.List.Count, page.Total, all.Count))
            {
                return all;
            }
        }
    }

    protected override Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
        => api.RemoveContactsAsync(MembershipForm(listId, memberIds), cancellationToken);

    internal async Task<MessengeoList> ReadOneAsync(string listId, string properties, CancellationToken cancellationToken)
    {
        var answer = await api.ReadListsAsync(id: listId, properties: properties, limit: 1, cancellationToken: cancellationToken).ConfigureAwait(false);
        return answer.List.FirstOrDefault(l => l.Id == listId) ?? throw NotFound(listId);
    }

    internal static string ImportPropertiesToRead => ImportProperties;

    /// <summary>
    /// Creates the contacts at <paramref name="positions"/> in one call (bracket notation) and records their ids.
    /// Messengeo refuses a whole call for one invalid contact (417): the call is split in halves until that contact
    /// is alone, so it is reported as rejected with Messengeo's reason and the others are still created.
    /// </summary>
    private async Task CreateAsync(IReadOnlyList<Contact> contacts, List<int> positions, string?[] ids, List<(int Position, string Reason)> rejected, List<(int Position, Exception Error)> unresolved, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>();
        for (var n = 0; n < positions.Count; n++)
        {
            foreach (var (name, value) in Properties(contacts[positions[n]]))
            {
                form[$"contacts[{n}][{name}]"] = value;
            }
        }

        MessengeoContactEnvelope created;
        try
        {
            created = await api.CreateContactsAsync(form, cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListRequestRejectedException ex) when (ex.StatusCode == System.Net.HttpStatusCode.ExpectationFailed)
        {
            if (positions.Count == 1)
            {
                rejected.Add((positions[0], "Messengeo refused the contact (417): " + (ex.ErrorMessages.Count > 0 ? string.Join("; ", ex.ErrorMessages) : ex.Message)));
                return;
            }

            var half = positions.Count / 2;
            await CreateAsync(contacts, positions[..half], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            await CreateAsync(contacts, positions[half..], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            return;
        }

        // No doc promises the answer lists the contacts in the order sent: each is matched by its identity
        // (mobile, else e-mail). One the answer does not name exactly once is not guessed: it may have been
        // created, so it is reported as not resolved, and sending it again finds it.
        var byIdentity = created.List.Where(c => c.Id is not null).ToLookup(c => IdentityOf(c.Mobile, c.Email), StringComparer.Ordinal);
        foreach (var position in positions)
        {
            var contact = contacts[position];
            var matches = byIdentity[IdentityOf(contact.Phone, contact.Email)].ToList();
            if (matches.Count == 1)
            {
                ids[position] = matches[0].Id;
            }
            else
            {
                unresolved.Add((position, Http.UnexpectedAnswers.Shape(
                    ProviderName,
                    "create contacts",
                    $"it names {(matches.Count == 0 ? "no" : matches.Count.ToString(CultureInfo.InvariantCulture))} created contact with {(contact.Phone is not null ? "mobile " + contact.Phone : "e-mail " + contact.Email)}",
                    isWrite: true)));
            }
        }
    }

    private static string IdentityOf(string? mobile, string? email)
        => IdentityKeys.Of(ContactIdentity.ProviderId, new Contact { Phone = mobile, Email = email }) ?? string.Empty;

    private async IAsyncEnumerable<MessengeoContact> MembersAsync(string listId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = 0;
        while (true)
        {
            var page = await api.ReadContactsAsync(new Dictionary<string, string> { [options.MembersFilter] = listId }, MemberProperties, options.PageSize, offset, "true", cancellationToken).ConfigureAwait(false);
            foreach (var contact in page.List)
            {
                yield return contact;
            }

            offset += page.List.Count;
            if (IsLastPage(page.List.Count, page.Total, offset))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Whether paging is done. Messengeo's maximum <c>limit</c> is not documented, so a page shorter than asked for
    /// does not prove the end (a server capping pages at 50 would otherwise leave the rest unread): the end is
    /// <c>total</c> reached, or, when the answer has no <c>total</c>, an empty page.
    /// </summary>
    private static bool IsLastPage(int size, long? total, int offset) => size == 0 || (total is { } all && offset >= all);

    private static Dictionary<string, string> MembershipForm(string listId, IEnumerable<string> contactIds)
        => new() { ["id"] = listId, ["metaData"] = MetaData(new Dictionary<string, string> { ["contactIds"] = string.Join(',', contactIds) }) };

    /// <summary>
    /// A <c>metaData</c> form field: a JSON object, written as the docs show it (<c>{"mobile":"+33600000001"}</c>, not
    /// <c>\u002B</c>): it travels form-encoded, never inside HTML, so nothing but JSON's own characters is escaped.
    /// </summary>
    private static string MetaData(Dictionary<string, string> values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in values)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }


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

    private static Contact ToContact(MessengeoContact contact) => new()
    {
        Id = contact.Id,
        Phone = contact.Mobile,
        Email = contact.Email,
        FirstName = contact.FirstName,
        LastName = contact.LastName,
        ExternalId = contact.Reference,
        Attributes = contact.ExtensionData?
            .Where(p => Array.IndexOf(CustomFieldNames, p.Key) >= 0 && p.Value.ValueKind is JsonValueKind.String)
            .ToDictionary(p => p.Key, p => p.Value.GetString()!) ?? new Dictionary<string, string>(),
        Consent = ConsentOf(contact),
    };

    /// <summary>Messengeo's opt-outs: <c>smsOptout</c> and <c>emailOptout</c> are null, or who opted the contact out (<c>contact</c>, <c>user</c>, and for e-mail <c>hardbounced</c> or <c>spam</c>).</summary>
    private static ContactConsent? ConsentOf(MessengeoContact contact)
    {
        string? Read(string name) => contact.ExtensionData?.TryGetValue(name, out var value) == true && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
        var sms = Read("smsOptout");
        var email = Read("emailOptout");
        return contact.ExtensionData is null || (!contact.ExtensionData.ContainsKey("smsOptout") && !contact.ExtensionData.ContainsKey("emailOptout"))
            ? null
            : new ContactConsent(sms is not null, email is not null, sms is null && email is null ? null : $"sms: {sms ?? "in"}, email: {email ?? "in"}");
    }
}

/// <summary>Follows a Messengeo file import by reading the list's import fields until <c>importStatus</c> is <c>ok</c>.</summary>
internal sealed class MessengeoListImport(string listId, MessengeoContactListClient client, MessengeoOptions options, TimeProvider timeProvider) : ContactListImport
{
    public override string ListId => listId;

    public override ContactListImportState State => _state;

    public override int? PercentComplete => _percent;

    public override long? LinesRead => _lines;

    public override long? InvalidLines => _invalid;

    public override Uri? ErrorReport => _errors;

    private ContactListImportState _state = ContactListImportState.Running;
    private int? _percent;
    private long? _lines;
    private long? _invalid;
    private Uri? _errors;

    public override async Task UpdateStatusAsync(CancellationToken cancellationToken = default)
        => Apply(await client.ReadOneAsync(listId, MessengeoContactListClient.ImportPropertiesToRead, cancellationToken).ConfigureAwait(false));

    public override async Task WaitForCompletionAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = timeProvider.GetUtcNow() + (timeout ?? options.ImportTimeout);
        while (_state == ContactListImportState.Running)
        {
            if (timeProvider.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"Messengeo's import into list {listId} was not done after {timeout ?? options.ImportTimeout} (last status: {(_percent is { } p ? p + "%" : "running")}).");
            }

            await Task.Delay(options.ImportPollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Apply(MessengeoList list)
    {
        _lines = list.ImportLines ?? _lines;
        _invalid = list.ImportInvalid ?? _invalid;
        _errors = Uri.TryCreate(list.ImportErrors, UriKind.Absolute, out var errors) ? errors : _errors;
        switch (list.ImportStatus)
        {
            case "ok":
                _state = ContactListImportState.Completed;
                _percent = 100;
                break;
            case "on" or null:
                _state = ContactListImportState.Running;
                break;
            case var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var percent):
                _state = ContactListImportState.Running;
                _percent = percent;
                break;
            default:
                // Any other status (an error word, say) ends the wait rather than polling until the timeout.
                _state = ContactListImportState.Failed;
                break;
        }
    }
}
