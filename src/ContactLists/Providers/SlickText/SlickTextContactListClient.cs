using ContactLists.Http;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Identity;
using ContactLists.Adapters;
using ContactLists.Resolution;
using static ContactLists.Providers.SlickText.SlickTextContacts;

namespace ContactLists.Providers.SlickText;

/// <summary>
/// The neutral client over SlickText. Lists have full management; membership works on SlickText contact ids, so a
/// <see cref="Contact"/> without <see cref="Contact.Id"/> is first looked up by mobile number (or e-mail) and, when
/// adding, created if missing. Replace is by difference (add the new members, remove the others) and not atomic.
/// </summary>
internal sealed class SlickTextContactListClient(
    ClientWiring wiring, ISlickTextApi api, HttpClient http, SlickTextOptions options, SlickTextBrandCache brand, Sharing.IContactIdentityMap identities)
    : ContactListClientBase(SlickTextProvider.Name, options, wiring)
{
    // SlickText cannot check many ids at once: an id it no longer knows is found when a membership call refuses it.
    private protected override ContactDirectory Directory { get; } = new(SlickTextProvider.Name, wiring.Account, identities, new SlickTextContactSource(api, options, brand), wiring.TimeProvider, TimeSpan.MaxValue);

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
        var lists = new Pages<SlickTextList>(ProviderName, "the brand's lists", async (offset, ct) =>
        {
            var page = await api.GetListsAsync(brandId, options.PageSize, offset, cancellationToken: ct).ConfigureAwait(false);
            return new Page<SlickTextList>(page.Data, page.PagingData?.HasMore == true, null);
        }, list => list.ContactListId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await foreach (var list in lists.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToContactList(list);
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
            var pages = new Pages<SlickTextCustomField>(ProviderName, "the brand's custom fields", async (offset, ct) =>
            {
                var page = await api.GetCustomFieldsAsync(brandId, options.PageSize, offset, ct).ConfigureAwait(false);
                return new Page<SlickTextCustomField>(page.Data, page.PagingData?.HasMore == true, null);
            }, field => field.InternalName);
            await foreach (var field in pages.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                fields.Add(field);
            }

            return Model(fields);
        }
    }

    // A SlickText id, or a phone (else an e-mail) to find the contact by; an invalid e-mail next to a phone is left out
    // (it is sent when the contact is created or updated).
    protected override ContactCheck CheckContact(Contact contact, ContactRules rules) => rules.ProviderIdOrFindable(contact, ProviderName, emailAlongsidePhone: true);

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction operation, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var brandId = await BrandAsync(cancellationToken).ConfigureAwait(false);
        var list = ParseId(listId, nameof(listId));
        var call = CallOf(batch, listId);
        if (operation == BatchAction.Update)
        {
            return await UpdateAsync(brandId, call, batch, cancellationToken).ConfigureAwait(false);
        }

        var remove = operation == BatchAction.Remove;
        return await call.SendMembershipsAsync(batch.Contacts, remove, remove ? "remove from lists" : "add to lists", async (ids, ct) =>
        {
            var memberships = ids.Select(id => new SlickTextListMembership { ContactId = long.Parse(id, CultureInfo.InvariantCulture), Lists = [list] }).ToArray();
            var (count, rateLimit) = remove
                ? await RemoveMembershipsAsync(brandId, memberships, ct).ConfigureAwait(false)
                : await AddMembershipsAsync(brandId, memberships, ct).ConfigureAwait(false);
            return new MembershipAnswer(count, rateLimit);
        }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
    {
        var list = ParseId(listId, nameof(listId));
        var memberships = memberIds.Select(id => new SlickTextListMembership { ContactId = long.Parse(id, CultureInfo.InvariantCulture), Lists = [list] }).ToArray();
        await RemoveMembershipsAsync(await BrandAsync(cancellationToken).ConfigureAwait(false), memberships, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Updates each contact of a batch (<c>PUT /v1/brands/{brand_id}/contacts/{contact_id}</c>, one request per contact:
    /// SlickText documents no bulk update), found by its id, or its phone or e-mail, never created. A contact SlickText
    /// does not know (404) is rejected.
    /// </summary>
    private Task<BatchResponse> UpdateAsync(long brandId, ResolutionCall call, BulkBatch batch, CancellationToken cancellationToken)
        => call.UpdateEachAsync(batch.Contacts, options.ResolveConcurrency, async (id, contact, ct) =>
        {
            try
            {
                await api.UpdateContactAsync(brandId, long.Parse(id, CultureInfo.InvariantCulture), SlickTextContacts.Fields(contact, new SlickTextUpdateContactRequest()), ct).ConfigureAwait(false);
                return true;
            }
            catch (ContactListNotFoundException)
            {
                return false;
            }
        }, cancellationToken);

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

    private IAsyncEnumerable<SlickTextContact> MembersAsync(long brandId, long listId, CancellationToken cancellationToken)
        => new Pages<SlickTextContact>(ProviderName, $"the members of list {listId}", async (offset, ct) =>
        {
            var page = await api.GetListContactsAsync(brandId, listId, options.PageSize, offset, ct).ConfigureAwait(false);
            return new Page<SlickTextContact>(page.Data, page.PagingData?.HasMore == true, null);
        }, contact => contact.ContactId.ToString(System.Globalization.CultureInfo.InvariantCulture)).ReadAllAsync(cancellationToken);

    private Task<long> BrandAsync(CancellationToken cancellationToken) => brand.GetAsync(options.BrandId, api, cancellationToken);

    private ContactList ToContactList(SlickTextList list) => new()
    {
        Id = list.ContactListId.ToString(CultureInfo.InvariantCulture),
        Name = list.Name,
        Description = list.Description,
        // SlickText gives no time zone: the time is read in the zone the options name (UTC unless set).
        CreatedAt = ZonelessTimes.Read(list.Created, ZonelessTimes.Zone(options.TimeZoneId)),
        Status = ContactListStatus.Active,
    };
}
