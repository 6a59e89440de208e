using ContactLists.Http;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Identity;
using Refit;
using ContactLists.Adapters;

namespace ContactLists.Providers.SlickText;

/// <summary>
/// The neutral client over SlickText. Lists have full management; membership works on SlickText contact ids, so a
/// <see cref="Contact"/> without <see cref="Contact.Id"/> is first looked up by mobile number (or e-mail) and, when
/// adding, created if missing. Replace is by difference (add the new members, remove the others) and not atomic.
/// </summary>
internal sealed class SlickTextContactListClient(
    string clientName, ISlickTextApi api, HttpClient http, SlickTextOptions options, SlickTextBrandCache brand, TimeProvider timeProvider,
    Sharing.ProviderAccount account, Sharing.IContactIdentityMap identities)
    : ContactListClientBase(SlickTextProvider.Name, clientName, options, timeProvider), IContactSource
{
    // SlickText cannot check many ids at once: an id it no longer knows is found when a membership call refuses it.
    private ContactDirectory Directory => _directory ??= new ContactDirectory(ProviderName, account, identities, this, TimeProvider, TimeSpan.MaxValue);

    private ContactDirectory? _directory;

    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.ListLists | ContactListCapabilities.GetList | ContactListCapabilities.CreateList |
        ContactListCapabilities.UpdateList | ContactListCapabilities.DeleteList | ContactListCapabilities.CountContacts |
        ContactListCapabilities.GetContacts | ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts |
        ContactListCapabilities.ReplaceContacts | ContactListCapabilities.UpdateContacts;

    /// <summary>The brand of the API key (<c>GET /v1/brands</c>): SlickText's cheapest authenticated read.</summary>
    internal override async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        await api.GetBrandAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override ContactIdentity Identity => ContactIdentity.ProviderId;

    protected override int MaxBatchSize => SlickTextOptions.MaxContactsPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.Difference;


    protected override void CheckListId(string listId, string paramName) => ParseId(listId, paramName);

    protected override async IAsyncEnumerable<ContactList> GetListsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var brandId = await BrandAsync(cancellationToken).ConfigureAwait(false);
        var offset = 0;
        while (true)
        {
            var page = await api.GetListsAsync(brandId, options.PageSize, offset, cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var list in page.Data)
            {
                yield return ToContactList(list);
            }

            offset += page.Data.Count;
            if (page.Data.Count == 0 || page.PagingData?.HasMore != true)
            {
                yield break;
            }
        }
    }

    protected override async Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken)
        => ToContactList(await api.GetListAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), cancellationToken).ConfigureAwait(false));

    protected override async Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken)
    {
        var created = await api.CreateListAsync(
            await BrandAsync(cancellationToken).ConfigureAwait(false),
            new SlickTextListRequest { Name = list.Name, Description = list.Description },
            cancellationToken).ConfigureAwait(false);
        // A list id of 0 is no list: never hand the caller an id that does not exist.
        return created.ContactListId > 0
            ? ToContactList(created)
            : throw Http.UnexpectedAnswers.Shape(ProviderName, "create list", $"contact_list_id is {created.ContactListId}, not a list's id", isWrite: true);
    }

    protected override async Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken)
    {
        if (update.Archived is not null)
        {
            throw new ContactListValidationException("SlickText lists cannot be archived; leave Archived null.", nameof(update));
        }

        return ToContactList(await api.EditListAsync(
            await BrandAsync(cancellationToken).ConfigureAwait(false),
            ParseId(listId, nameof(listId)),
            new SlickTextListRequest { Name = update.Name, Description = update.Description },
            cancellationToken).ConfigureAwait(false));
    }

    protected override async Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken)
    {
        await api.DeleteListAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), cancellationToken).ConfigureAwait(false);
        return new ContactListDeletion(listId, IsSoftDelete: false, List: null);
    }

    protected override async Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken)
        => await api.CountListContactsAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), cancellationToken).ConfigureAwait(false);

    protected override async IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var contact in MembersAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), cancellationToken).ConfigureAwait(false))
        {
            // Every answer that names contacts teaches the identity map their ids.
            var member = ToContact(contact);
            await Directory.LearnAsync([member], cancellationToken).ConfigureAwait(false);
            yield return member;
        }
    }

    /// <summary>The contact fields SlickText documents beyond the neutral ones, sent at the top level of a contact.</summary>
    private static readonly string[] StandardExtras = ["birthdate", "address", "city", "state", "zip", "country", "timezone", "language"];

    private Task<ContactFieldModel>? _fields;
    private readonly object _fieldsGate = new();

    // Each contact without an id is looked up by its phone (or e-mail) and, when adding, created if SlickText does not
    // know it (at most one create each: SlickText documents no bulk create); memberships go 1,000 a request; an update
    // is one request per contact (no bulk update is documented).
    internal override IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds) => operation == BulkOperation.Update
        ?
        [
            new(HttpMethod.Get, "/v1/brands/1/contacts", withIds ? 0 : ContactDirectory.PlannedReads(contacts, findCost: contacts, options.ScanPageSize)),
            new(HttpMethod.Put, "/v1/brands/1/contacts/1", contacts),
        ]
        :
        [
            // Contacts without ids are found from the brand's contacts, read in pages (assumed about as many as the input;
            // a few contacts are looked up one by one instead), and those not found are created, one request each.
            new(HttpMethod.Get, "/v1/brands/1/contacts", withIds ? 0 : ContactDirectory.PlannedReads(contacts, findCost: contacts, options.ScanPageSize)),
            new(HttpMethod.Post, "/v1/brands/1/contacts", withIds || operation == BulkOperation.Remove ? 0 : contacts),
            new(operation == BulkOperation.Remove ? new HttpMethod(options.RemoveContactsFromListsMethod) : HttpMethod.Post, "/v1/brands/1/lists/contacts", PlannedRequests.Batches(contacts, batchSize)),
            // A replace by difference reads the list once (assumed about the input's size), then removes the former members.
            new(HttpMethod.Get, "/v1/brands/1/lists/1/contacts", operation == BulkOperation.Replace ? PlannedRequests.Batches(contacts, options.ScanPageSize) : 0),
        ];

    protected override ContactFieldModel FieldModel => Model([]);

    // With KnownOnly, the brand's custom fields are read the first time an attribute is not a standard field.
    protected override bool FieldModelIsPartial => options.CustomFields == SlickTextCustomFields.KnownOnly;

    private ContactFieldModel Model(IEnumerable<SlickTextCustomField> custom) => new()
    {
        Provider = SlickTextProvider.Name,
        Fields =
        [
            new(nameof(Contact.Phone), "mobile_number", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "E.164; finds the contact when it has no Id; required to create one", Updated = false },
            new(nameof(Contact.Email), "email", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "finds the contact when it has no Id or Phone" },
            new(nameof(Contact.FirstName), "first_name", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.LastName), "last_name", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.ExternalId), null, ContactFieldKind.Standard, Stored: false, ReadBack: false) { Note = "SlickText has no such field: left out, counted in DroppedFields" },
            .. StandardExtras.Select(name => new ContactField(name, name, ContactFieldKind.Custom, Stored: true, ReadBack: true)
            {
                Note = name == "timezone" ? "SlickText accepts America/New_York, America/Chicago, America/Denver or America/Los_Angeles" : "a documented contact field, set when a contact is created or updated",
            }),
            .. custom.Select(field => new ContactField(field.InternalName, "custom_fields." + field.InternalName, ContactFieldKind.Custom, Stored: true, ReadBack: true)
            {
                Aliases = field.Name is { Length: > 0 } shown && !string.Equals(shown, field.InternalName, StringComparison.OrdinalIgnoreCase) ? [shown] : [],
                Note = $"the brand's custom field '{field.Name}' ({field.DataType})",
            }),
        ],
        AcceptsAnyAttribute = options.CustomFields == SlickTextCustomFields.SendAll,
        AnyAttributeField = options.CustomFields == SlickTextCustomFields.SendAll ? "custom_fields.{key} (SlickTextOptions.CustomFields = SendAll)" : null,
    };

    /// <summary>With <see cref="SlickTextCustomFields.KnownOnly"/>, the brand's custom fields, read once per client (a failed read is tried again next time).</summary>
    protected override Task<ContactFieldModel> LoadFieldModelAsync(CancellationToken cancellationToken)
    {
        if (options.CustomFields == SlickTextCustomFields.SendAll)
        {
            return Task.FromResult(FieldModel);
        }

        lock (_fieldsGate)
        {
            if (_fields is null || _fields.IsFaulted || _fields.IsCanceled)
            {
                _fields = ReadAsync();
            }

            return _fields.WaitAsync(cancellationToken);
        }

        async Task<ContactFieldModel> ReadAsync()
        {
            var brandId = await BrandAsync(CancellationToken.None).ConfigureAwait(false);
            var fields = new List<SlickTextCustomField>();
            var offset = 0;
            while (true)
            {
                var page = await api.GetCustomFieldsAsync(brandId, options.PageSize, offset, CancellationToken.None).ConfigureAwait(false);
                fields.AddRange(page.Data);
                offset += page.Data.Count;
                if (page.Data.Count == 0 || page.PagingData?.HasMore != true)
                {
                    return Model(fields);
                }
            }
        }
    }

    // A SlickText id, or a phone (else an e-mail) to find the contact by; an invalid e-mail next to a phone is left out
    // (it is sent when the contact is created or updated).
    protected override ContactCheck CheckContact(Contact contact, ContactRules rules) => rules.ProviderIdOrFindable(contact, ProviderName, emailAlongsidePhone: true);

    protected override Task<object?> BeginBulkCallAsync(BulkOperation operation, string listId, long? expectedContacts, CancellationToken cancellationToken)
        => BeginDirectoryCallAsync(Directory, operation, listId, expectedContacts, cancellationToken);

    protected override Task<IReadOnlyList<string>> FormerMemberIdsAsync(string listId, object? call, CancellationToken cancellationToken)
        => call is ContactDirectory.Call { ListReadWhole: true } read ? Task.FromResult<IReadOnlyList<string>>([.. read.MemberIds]) : base.FormerMemberIdsAsync(listId, call, cancellationToken);

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction operation, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var brandId = await BrandAsync(cancellationToken).ConfigureAwait(false);
        var list = ParseId(listId, nameof(listId));
        var call = (ContactDirectory.Call?)batch.Call ?? Directory.BeginCall(BulkOperation.Add, listId, batch.Contacts.Count);
        if (operation == BatchAction.Update)
        {
            return await UpdateAsync(brandId, call, batch, cancellationToken).ConfigureAwait(false);
        }

        var remove = operation == BatchAction.Remove;
        var resolved = await call.ResolveAsync(batch.Contacts, create: !remove, cancellationToken).ConfigureAwait(false);
        var action = remove ? "remove from lists" : "add to lists";
        RateLimitInfo? rateLimit = null;
        long? count = null;
        var sent = Send(resolved);
        try
        {
            (count, rateLimit) = await SendMembershipsAsync(sent).ConfigureAwait(false);
        }
        catch (ContactListNotFoundException) when (resolved.FromMap.Any(known => known))
        {
            // An id from the identity map that SlickText no longer knows (a deleted contact) is forgotten and the
            // contact resolved again, within this call; then the memberships are sent once more.
            var stale = Enumerable.Range(0, batch.Contacts.Count).Where(p => resolved.FromMap[p]).ToList();
            await call.ForgetAsync(batch.Contacts, stale, cancellationToken).ConfigureAwait(false);
            var again = await call.ResolveAsync([.. stale.Select(p => batch.Contacts[p] with { Id = null })], create: !remove, cancellationToken).ConfigureAwait(false);
            var ids = (string?[])resolved.Ids.Clone();
            for (var n = 0; n < stale.Count; n++)
            {
                ids[stale[n]] = again.Ids[n];
            }

            resolved = resolved with
            {
                Ids = ids,
                FromMap = new bool[ids.Length],
                Rejected = [.. resolved.Rejected, .. again.Rejected.Select(r => (stale[r.Position], r.Reason))],
                Unresolved = [.. resolved.Unresolved, .. again.Unresolved.Select(u => (stale[u.Position], u.Error))],
            };
            sent = Send(resolved);
            (count, rateLimit) = await SendMembershipsAsync(sent).ConfigureAwait(false);
        }

        return new BatchResponse(
            BatchStatus.Accepted,
            action,
            resolved.Rejected,
            count is null ? null : $"count: {count}",
            rateLimit,
            count is null ? null : new Dictionary<string, long> { ["count"] = count.Value },
            MemberIds: resolved.Ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
            Unresolved: resolved.Unresolved);

        // In a replace, contacts the list already holds (read once for the call) need no membership call.
        SlickTextListMembership[] Send(ContactDirectory.Resolved resolution) => resolution.Ids.OfType<string>().Distinct(StringComparer.Ordinal)
            .Where(id => remove || call.Operation != BulkOperation.Replace || !call.ListReadWhole || !call.IsMember(id))
            .Select(id => new SlickTextListMembership { ContactId = long.Parse(id, CultureInfo.InvariantCulture), Lists = [list] }).ToArray();

        async Task<(long? Count, RateLimitInfo? RateLimit)> SendMembershipsAsync(SlickTextListMembership[] memberships)
            => memberships.Length == 0 ? (null, null)
                : remove ? await RemoveMembershipsAsync(brandId, memberships, cancellationToken).ConfigureAwait(false)
                : await AddMembershipsAsync(brandId, memberships, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        var list = ParseId(listId, nameof(listId));
        var memberships = memberIds.Select(id => new SlickTextListMembership { ContactId = long.Parse(id, CultureInfo.InvariantCulture), Lists = [list] }).ToArray();
        await RemoveMembershipsAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), memberships, cancellationToken).ConfigureAwait(false);
    }

    // The reads, lookups and creates the directory plans a call's resolution with.
    async Task<ContactPage> IContactSource.ReadAccountAsync(int offset, CancellationToken cancellationToken)
    {
        var page = await api.FindContactsAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), limit: options.ScanPageSize, offset: offset, cancellationToken: cancellationToken).ConfigureAwait(false);
        return new ContactPage([.. page.Data.Select(ToContact)], page.PagingData?.HasMore ?? page.Data.Count == options.ScanPageSize, null);
    }

    async Task<ContactPage> IContactSource.ReadListAsync(string listId, int offset, CancellationToken cancellationToken)
    {
        var page = await api.GetListContactsAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), options.ScanPageSize, offset, cancellationToken).ConfigureAwait(false);
        return new ContactPage([.. page.Data.Select(ToContact)], page.PagingData?.HasMore ?? page.Data.Count == options.ScanPageSize, null);
    }

    // SlickText filters on one exact value: one lookup per contact, by its mobile number, else its e-mail.
    long IContactSource.FindCost(long contacts) => contacts;

    async Task<ContactLookup> IContactSource.FindAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var brandId = await BrandAsync(cancellationToken).ConfigureAwait(false);
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(contacts, new ParallelOptions { MaxDegreeOfParallelism = options.ResolveConcurrency, CancellationToken = cancellationToken }, async (contact, ct) =>
        {
            var key = IdentityKeys.Of(ContactIdentity.ProviderId, contact)!;
            try
            {
                var page = contact.Phone is not null
                    ? await api.FindContactsAsync(brandId, mobileNumber: contact.Phone, limit: 1, cancellationToken: ct).ConfigureAwait(false)
                    : await api.FindContactsAsync(brandId, email: contact.Email, limit: 1, cancellationToken: ct).ConfigureAwait(false);
                if (page.Data.Count > 0)
                {
                    found[key] = page.Data[0].ContactId.ToString(CultureInfo.InvariantCulture);
                }
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                failed[key] = ex;
            }
            catch (OperationCanceledException stopped) when (SendingStop.IsAbandoned(stopped))
            {
                // Stopping: this lookup was not sent; the contact is left for the next run.
                failed[key] = stopped;
            }
        }).ConfigureAwait(false);
        return new ContactLookup(found, failed);
    }

    // SlickText documents no bulk create: one create per contact, a mobile number required.
    async Task<ContactCreation> IContactSource.CreateAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var brandId = await BrandAsync(cancellationToken).ConfigureAwait(false);
        var ids = new string?[contacts.Count];
        var rejected = new System.Collections.Concurrent.ConcurrentBag<(int, string)>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<(int, Exception)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, contacts.Count), new ParallelOptions { MaxDegreeOfParallelism = options.ResolveConcurrency, CancellationToken = cancellationToken }, async (position, ct) =>
        {
            var contact = contacts[position];
            if (contact.Phone is null)
            {
                rejected.Add((position, $"No SlickText contact has e-mail {contact.Email}, and SlickText cannot create a contact without a mobile number."));
                return;
            }

            try
            {
                ids[position] = (await CreateContactAsync(brandId, contact, ct).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                failed.Add((position, ex));
            }
            catch (OperationCanceledException stopped) when (SendingStop.IsAbandoned(stopped))
            {
                // Stopping: this create was not sent; what was created is kept (and learned), the rest left for the next run.
                failed.Add((position, stopped));
            }
        }).ConfigureAwait(false);
        return new ContactCreation(ids, [.. rejected], [.. failed]);
    }

    Task<IReadOnlySet<string>>? IContactSource.VerifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => null;

    private async Task<long> CreateContactAsync(long brandId, Contact contact, CancellationToken cancellationToken)
    {
        var created = await api.CreateContactAsync(brandId, Fields(contact, new SlickTextCreateContactRequest { OptInStatus = options.NewContactOptInStatus }), cancellationToken).ConfigureAwait(false);
        return created.ContactId > 0
            ? created.ContactId
            : throw Http.UnexpectedAnswers.Shape(ProviderName, "create contact", $"contact_id is {created.ContactId}, not a contact's id", isWrite: true);
    }

    /// <summary>
    /// The contact's fields on a create or an update. Attributes arrive placed on the field model: the documented
    /// fields (city, zip…) go at the top level, the rest are custom fields. Never an opt-in status: only a create may
    /// set one, and only the one the options name.
    /// </summary>
    private static T Fields<T>(Contact contact, T request)
        where T : SlickTextUpdateContactRequest
    {
        string? Standard(string name) => contact.Attributes.TryGetValue(name, out var value) ? value : null;
        var custom = contact.Attributes.Where(a => Array.IndexOf(StandardExtras, a.Key) < 0).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        request.MobileNumber = contact.Phone;
        request.FirstName = contact.FirstName;
        request.LastName = contact.LastName;
        request.Email = contact.Email;
        request.Birthdate = Standard("birthdate");
        request.Address = Standard("address");
        request.City = Standard("city");
        request.State = Standard("state");
        request.Zip = Standard("zip");
        request.Country = Standard("country");
        request.Timezone = Standard("timezone");
        request.Language = Standard("language");
        request.CustomFields = custom.Count == 0 ? null : custom;
        return request;
    }

    /// <summary>
    /// Updates each contact of a batch (<c>PUT /v1/brands/{brand_id}/contacts/{contact_id}</c>, one request per contact:
    /// SlickText documents no bulk update), found by its id, or its phone or e-mail, never created. A contact SlickText
    /// does not know is rejected; one whose update failed is not delivered (and sent again while the batch's retries last).
    /// </summary>
    private async Task<BatchResponse> UpdateAsync(long brandId, ContactDirectory.Call call, BulkBatch batch, CancellationToken cancellationToken)
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
                await api.UpdateContactAsync(brandId, long.Parse(id, CultureInfo.InvariantCulture), Fields(batch.Contacts[position], new SlickTextUpdateContactRequest()), ct).ConfigureAwait(false);
            }
            catch (ContactListNotFoundException)
            {
                rejected.Add((position, $"SlickText no longer has contact {id}."));
                await call.ForgetAsync(batch.Contacts, [position], ct).ConfigureAwait(false);
            }
            catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
            {
                failed.Add((position, ex));
            }
            catch (OperationCanceledException stopped) when (SendingStop.IsAbandoned(stopped))
            {
                failed.Add((position, stopped));
            }
        }).ConfigureAwait(false);
        return new BatchResponse(BatchStatus.Accepted, "update contacts", [.. rejected.OrderBy(r => r.Position)], Unresolved: [.. failed.OrderBy(f => f.Position)]);
    }

    private async Task<(long? Count, RateLimitInfo? RateLimit)> AddMembershipsAsync(long brandId, SlickTextListMembership[] memberships, CancellationToken cancellationToken)
    {
        using var response = await api.AddContactsToListsAsync(brandId, memberships, cancellationToken).ConfigureAwait(false);
        var answer = Http.UnexpectedAnswers.RequireContent(SlickTextProvider.Profile, response, "no { \"count\": n } of memberships added");
        return (answer.Count, SlickTextProvider.ReadRateLimit(response.Headers));
    }

    private async Task<(long? Count, RateLimitInfo? RateLimit)> RemoveMembershipsAsync(long brandId, SlickTextListMembership[] memberships, CancellationToken cancellationToken)
    {
        if (options.UsesDocumentedRemove)
        {
            using var response = await api.RemoveContactsFromListsAsync(brandId, memberships, cancellationToken).ConfigureAwait(false);
            var removed = Http.UnexpectedAnswers.RequireContent(SlickTextProvider.Profile, response, "no { \"count\": n } of memberships removed");
            return (removed.Count, SlickTextProvider.ReadRateLimit(response.Headers));
        }

        // The configured form of the unconfirmed endpoint, through the same pipeline as every other call.
        var path = options.RemoveContactsFromListsPath.Replace("{brand_id}", brandId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        if (SlickTextOptions.IsPerMembershipPath(path))
        {
            return await RemoveEachMembershipAsync(path, memberships, cancellationToken).ConfigureAwait(false);
        }

        using var request = new HttpRequestMessage(new HttpMethod(options.RemoveContactsFromListsMethod), new Uri(http.BaseAddress!.ToString().TrimEnd('/') + path))
        {
            Content = JsonContent.Create(memberships, SlickTextJsonContext.Default.SlickTextListMembershipArray),
        };
        // A removal from lists, whatever verb the configured form uses: repeating it removes nothing more.
        request.Options.Set(RequestSafety.RepeatableKey, true);
        using var answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return (null, SlickTextProvider.ReadRateLimit(answer.Headers));
    }

    /// <summary>
    /// The per-membership form one production client uses (<c>DELETE /v1/contacts/{contact_id}/lists/{contact_list_id}</c>,
    /// no body): one request per contact and list, a 404 carrying SlickText's error body meaning "was not a member".
    /// Counts the memberships removed.
    /// </summary>
    private async Task<(long? Count, RateLimitInfo? RateLimit)> RemoveEachMembershipAsync(string path, SlickTextListMembership[] memberships, CancellationToken cancellationToken)
    {
        long removed = 0;
        RateLimitInfo? rateLimit = null;
        foreach (var membership in memberships)
        {
            foreach (var list in membership.Lists)
            {
                var one = path
                    .Replace("{contact_id}", membership.ContactId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                    .Replace("{contact_list_id}", list.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                using var request = new HttpRequestMessage(new HttpMethod(options.RemoveContactsFromListsMethod), new Uri(http.BaseAddress!.ToString().TrimEnd('/') + one));
                request.Options.Set(RequestSafety.RepeatableKey, true);
                try
                {
                    using var answer = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    rateLimit = SlickTextProvider.ReadRateLimit(answer.Headers) ?? rateLimit;
                    removed++;
                }
                catch (ContactListNotFoundException notFound) when (notFound.ErrorMessages.Count > 0)
                {
                    // SlickText's own 404 (its error body, with a message): not a member, nothing to remove. A bare 404
                    // (no error body: a path nobody serves, as when SlickText serves the other remove form) is not
                    // that answer, and propagates: counting it "not a member" would report removals that never happened.
                }
            }
        }

        return (removed, rateLimit);
    }

    private async IAsyncEnumerable<SlickTextContact> MembersAsync(long brandId, long listId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = 0;
        while (true)
        {
            var page = await api.GetListContactsAsync(brandId, listId, options.PageSize, offset, cancellationToken).ConfigureAwait(false);
            foreach (var contact in page.Data)
            {
                yield return contact;
            }

            offset += page.Data.Count;
            if (page.Data.Count == 0 || page.PagingData?.HasMore != true)
            {
                yield break;
            }
        }
    }

    private Task<long> BrandAsync(CancellationToken cancellationToken)
        => options.BrandId is { } id ? Task.FromResult(id) : brand.GetAsync(() => api.GetBrandAsync(cancellationToken));

    private static long ParseId(string id, string paramName)
        => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ContactListValidationException($"SlickText ids are positive numbers, but '{id}' is not.", paramName);

    private ContactList ToContactList(SlickTextList list) => new()
    {
        Id = list.ContactListId.ToString(CultureInfo.InvariantCulture),
        Name = list.Name,
        Description = list.Description,
        // SlickText gives no time zone: the time is read in the zone the options name (UTC unless set).
        CreatedAt = ZonelessTimes.Read(list.Created, ZonelessTimes.Zone(options.TimeZoneId)),
        Status = ContactListStatus.Active,
    };

    internal static Contact ToContact(SlickTextContact contact)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in contact.CustomFields ?? [])
        {
            if (value.ValueKind is not (System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined))
            {
                attributes[key] = Text(value);
            }
        }

        // The documented fields (city, zip…) come back at the top level, as attributes under their own names.
        if (contact.Zip is { } zip)
        {
            attributes["zip"] = zip;
        }

        foreach (var name in StandardExtras)
        {
            if (contact.ExtensionData?.TryGetValue(name, out var value) == true && value.ValueKind is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
            {
                attributes[name] = Text(value);
            }
        }

        return new Contact
        {
            Id = contact.ContactId.ToString(CultureInfo.InvariantCulture),
            Phone = contact.MobileNumber,
            Email = contact.Email,
            FirstName = contact.FirstName,
            LastName = contact.LastName,
            Attributes = attributes,
            // SlickText is SMS: "unsubscribed" and "blocked" contacts are not texted, whatever list they are in.
            Consent = contact.OptInStatus is { } status ? new ContactConsent(status is "unsubscribed" or "blocked", EmailOptedOut: false, status) : null,
        };

        static string Text(System.Text.Json.JsonElement value) => value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}

/// <summary>The brand id of one registered client, read once from <c>GET /v1/brands</c> when not configured.</summary>
internal sealed class SlickTextBrandCache
{
    private Task<long>? _brand;
    private readonly object _gate = new();

    public async Task<long> GetAsync(Func<Task<SlickTextBrand>> discover)
    {
        Task<long> pending;
        lock (_gate)
        {
            pending = _brand ??= DiscoverAsync(discover);
        }

        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                // A failed discovery (a wrong key, say) is not remembered.
                if (ReferenceEquals(_brand, pending))
                {
                    _brand = null;
                }
            }

            throw;
        }
    }

    private static async Task<long> DiscoverAsync(Func<Task<SlickTextBrand>> discover) => (await discover().ConfigureAwait(false)).BrandId;
}
