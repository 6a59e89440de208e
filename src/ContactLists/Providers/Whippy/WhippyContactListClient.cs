using ContactLists.Http;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ContactLists.Bulk;
using ContactLists.Identity;
using ContactLists.Adapters;

namespace ContactLists.Providers.Whippy;

/// <summary>
/// The neutral client over Whippy. Phone (E.164) identifies a contact; membership changes are asynchronous on
/// Whippy's side and are reported as accepted for processing; lists are deleted softly.
/// </summary>
internal sealed class WhippyContactListClient(ClientWiring wiring, IWhippyApi api, WhippyOptions options)
    : ContactListClientBase(WhippyProvider.Name, options, wiring)
{
    private const int MaxTextLength = 255;

    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.ListLists | ContactListCapabilities.GetList | ContactListCapabilities.CreateList |
        ContactListCapabilities.UpdateList | ContactListCapabilities.DeleteList | ContactListCapabilities.CountContacts |
        ContactListCapabilities.GetContactsFirstPage | ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts |
        ContactListCapabilities.ReplaceContacts | ContactListCapabilities.UpdateContacts;

    // One PUT of up to 4000 contacts per batch, whatever the operation: Whippy upserts the contacts itself.
    internal override IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds)
        => [new(HttpMethod.Put, "/v1/contacts/lists/list/contacts", PlannedRequests.Batches(contacts, batchSize))];

    protected override ContactFieldModel FieldModel { get; } = new()
    {
        Provider = WhippyProvider.Name,
        Fields =
        [
            new(nameof(Contact.Phone), "phone", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "identity, E.164", Updated = false },
            new(nameof(Contact.Email), "email", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "at most 255 characters" },
            new(nameof(Contact.FirstName), "name", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "joined with LastName into Whippy's one name; read back split at the first space" },
            new(nameof(Contact.LastName), "name", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "see FirstName" },
            new(nameof(Contact.ExternalId), "external_id", ContactFieldKind.Standard, Stored: true, ReadBack: true) { Note = "a match key on Whippy; a remove sends the phone alone" },
        ],
        AcceptsAnyAttribute = true,
        AnyAttributeField = "properties.{key} (Whippy's custom properties; whether Whippy refuses a key it does not know is UNCONFIRMED)",
    };

    /// <summary>The first page of one list: Whippy's cheapest authenticated read.</summary>
    internal override async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        await api.GetContactListsAsync(offset: 0, limit: 1, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public override ContactIdentity Identity => ContactIdentity.Phone;

    protected override int MaxBatchSize => WhippyOptions.MaxContactsPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.OverwriteFirstBatch;

    protected override string? AppliesLater =>
        "Whippy answers \"being updated\" and applies each batch later, in an order it does not document: a later batch's add may be applied before the first batch's overwrite, which would then remove it. Read the list back once Whippy has processed the batches.";

    protected override async IAsyncEnumerable<ContactList> GetListsCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var lists = new Pages<WhippyContactList>(ProviderName, "the account's lists", async (offset, ct) =>
        {
            var page = await api.GetContactListsAsync(offset, options.ListPageSize, ct).ConfigureAwait(false);
            // Without a total, a full page says more may follow, a short one that it was the last.
            return new Page<WhippyContactList>(page.Data, page.Total is null ? page.Data.Count == options.ListPageSize : null, page.Total);
        }, list => list.Id);
        await foreach (var list in lists.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ToContactList(list);
        }
    }

    protected override async Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken)
        => ToContactList(Require(await api.GetContactListAsync(listId, cancellationToken).ConfigureAwait(false), "GET list"));

    protected override async Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken)
    {
        RefuseDescription(list.Description, nameof(list));
        var request = new WhippyCreateContactListRequest { Name = list.Name, Color = options.NewListColor };
        return ToContactList(Require(await api.CreateContactListAsync(request, cancellationToken).ConfigureAwait(false), "create list"));
    }

    protected override async Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken)
    {
        RefuseDescription(update.Description, nameof(update));
        var request = new WhippyUpdateContactListRequest
        {
            Name = update.Name,
            State = update.Archived switch { true => "archived", false => "active", null => null },
        };
        return ToContactList(Require(await api.UpdateContactListAsync(listId, request, cancellationToken).ConfigureAwait(false), "update list"));
    }

    protected override async Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken)
    {
        var response = await api.DeleteContactListAsync(listId, cancellationToken).ConfigureAwait(false);
        var list = response.Data is null ? null : ToContactList(response.Data);
        // Whippy documents delete as soft: the list comes back with state "deleted" and its contacts are kept.
        return new ContactListDeletion(listId, IsSoftDelete: true, list);
    }

    protected override async Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken)
    {
        var list = Require(await api.GetContactListAsync(listId, cancellationToken).ConfigureAwait(false), "GET list");
        return list.Contacts?.Total ?? list.Contacts?.Data.Count
            ?? throw new ContactListException($"Whippy returned list '{listId}' without its contacts, so they cannot be counted.", ProviderError.NoResponse(ProviderName));
    }

    protected override async IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var list = Require(await api.GetContactListAsync(listId, cancellationToken).ConfigureAwait(false), "GET list");
        var page = list.Contacts ?? new WhippyContactPage();
        if (page.Total is { } total && total > page.Data.Count)
        {
            // Whippy embeds only the first page of a list's contacts and does not document how to ask for the next
            // one. Returning the first page as if it were all would lose contacts silently, so refuse instead.
            throw new ContactListPagingLimitException(
                $"Whippy list '{listId}' holds {total} contacts but Whippy returned {page.Data.Count}, and its API does not document how to page a list's contacts, so they cannot all be read. " +
                "Use CountContactsAsync for the number; ContactListSync replaces such a list instead of reading it.",
                ProviderName,
                total,
                page.Data.Count);
        }

        foreach (var contact in page.Data)
        {
            yield return ToContact(contact);
        }
    }

    // Whippy keeps one name: compared as it is stored, so that a first name of two words is not a change every time.
    internal override void ComparableFields(Contact contact, List<KeyValuePair<string, string>> into)
    {
        SyncFields.Collect(contact with { FirstName = null, LastName = null }, into);
        SyncFields.Add(into, "name", JoinName(contact));
    }

    protected override ContactCheck CheckContact(Contact contact, ContactRules rules)
    {
        var check = base.CheckContact(contact, rules);
        if (!check.IsValid)
        {
            return check;
        }

        // The phone is the identity; a name or an e-mail Whippy would refuse is left out (or refuses the contact, if so set).
        contact = check.Normalized!;
        var dropped = new List<string>();
        if (JoinName(contact) is { Length: > MaxTextLength })
        {
            var name = rules.InvalidField(contact, "FirstName/LastName", $"together are longer than Whippy's {MaxTextLength} characters for a name", c => c with { FirstName = null, LastName = null }, "too long");
            if (!name.IsValid)
            {
                return name;
            }

            (contact, dropped) = (name.Normalized!, [.. dropped, .. name.Dropped!]);
        }

        if (contact.Email is not null)
        {
            var valid = ContactRules.TryEmail(contact.Email, out var email, out var reason);
            if (!valid || email.Length > MaxTextLength)
            {
                var left = rules.InvalidField(contact, nameof(Contact.Email), valid ? $"is longer than Whippy's {MaxTextLength} characters" : reason, c => c with { Email = null }, valid ? "too long" : "not valid");
                if (!left.IsValid)
                {
                    return left;
                }

                (contact, dropped) = (left.Normalized!, [.. dropped, .. left.Dropped!]);
            }
            else
            {
                contact = contact with { Email = email };
            }
        }

        return ContactCheck.Valid(contact, dropped.Count == 0 ? null : dropped);
    }

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction batchAction, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        // An update is an add of members: Whippy creates or updates each contact of a request before applying its action.
        var action = batchAction switch
        {
            BatchAction.Add or BatchAction.Update => WhippyContactListAction.Add,
            BatchAction.Remove => WhippyContactListAction.Remove,
            _ => WhippyContactListAction.Overwrite,
        };
        var request = new WhippyUpdateContactListContactsRequest
        {
            Action = action,
            // Whippy creates or updates the contacts of a request before applying its action, and external_id is a
            // match key: a remove sends the phone alone, so that it changes nothing but the list's membership.
            Contacts = batch.Contacts.Select<Contact, WhippyContactInput>(action == WhippyContactListAction.Remove ? IdentityOnly : ToInput).ToList(),
        };
        if (batchAction == BatchAction.Update)
        {
            // An update never changes consent: Whippy opts contacts in to every channel unless told not to, so it is
            // told not to, and no channel is named.
            request.OptInToAllChannels = false;
        }
        else if (action != WhippyContactListAction.Remove)
        {
            request.OptInTo = OptIns();
            request.OptInToAllChannels = options.OptInToAllChannels;
        }

        using var response = await api.UpdateContactListContactsAsync(listId, request, cancellationToken).ConfigureAwait(false);
        // Whippy answers before applying the change ("Contact list contacts are being updated"): accepted for
        // processing, never confirmed, and only on that documented answer.
        var message = Http.UnexpectedAnswers.RequireContent(WhippyProvider.Profile, response, "no \"data\" object").Data?.Message;
        if (string.IsNullOrWhiteSpace(message))
        {
            throw Http.UnexpectedAnswers.ShapeOf(WhippyProvider.Profile, response, "no \"data.message\" saying the contacts are being updated");
        }

        return new BatchResponse(BatchStatus.AcceptedForProcessing, action, ProviderMessage: message);
    }

    private List<WhippyOptIn>? OptIns()
    {
        if (options.OptInToChannelIds.Count == 0 && options.OptInToChannelPhones.Count == 0)
        {
            return null;
        }

        return options.OptInToChannelIds.Select(id => new WhippyOptIn { Id = id })
            .Concat(options.OptInToChannelPhones.Select(phone => new WhippyOptIn { Phone = phone }))
            .ToList();
    }

    private void RefuseDescription(string? description, string paramName)
    {
        if (description is not null)
        {
            throw new ContactListValidationException($"{ProviderName} lists have no description; leave Description null.", paramName);
        }
    }

    private static WhippyContactList Require(WhippyContactListResponse response, string call)
        => response.Data ?? throw new ContactListException($"Whippy's answer to {call} held no list (no \"data\").", ProviderError.NoResponse(WhippyProvider.Name));

    internal static ContactList ToContactList(WhippyContactList list) => new()
    {
        Id = list.Id,
        Name = list.Name,
        CreatedAt = list.CreatedAt,
        ContactCount = list.Contacts?.Total,
        Status = list.State switch
        {
            "active" => ContactListStatus.Active,
            "archived" => ContactListStatus.Archived,
            "deleted" => ContactListStatus.Deleted,
            _ => ContactListStatus.Unknown,
        },
    };

    internal static Contact ToContact(WhippyContact contact)
    {
        // Whippy keeps one name field: the first word is taken as the first name, the rest as the last name.
        var name = contact.Name?.Trim();
        var space = name?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        return new Contact
        {
            Id = contact.Id,
            Phone = contact.Phone,
            Email = contact.Email,
            FirstName = string.IsNullOrEmpty(name) ? null : space < 0 ? name : name[..space],
            LastName = space < 0 ? null : name![(space + 1)..].Trim(),
            ExternalId = contact.ExternalId,
            Attributes = contact.Properties?.ToDictionary(
                p => p.Key,
                p => p.Value is JsonValue value && value.TryGetValue<string>(out var text) ? text : p.Value?.ToJsonString() ?? string.Empty) ?? new Dictionary<string, string>(),
        };
    }

    private static WhippyContactInput IdentityOnly(Contact contact) => new() { Phone = contact.Phone! };

    internal static WhippyContactInput ToInput(Contact contact) => new()
    {
        Phone = contact.Phone!,
        Name = JoinName(contact),
        Email = contact.Email,
        ExternalId = contact.ExternalId,
        Properties = contact.Attributes.Count == 0 ? null : contact.Attributes.ToDictionary(a => a.Key, a => (JsonNode?)JsonValue.Create(a.Value)),
    };

    private static string? JoinName(Contact contact)
    {
        var name = string.Join(' ', new[] { contact.FirstName, contact.LastName }.Where(n => !string.IsNullOrWhiteSpace(n)).Select(n => n!.Trim()));
        return name.Length == 0 ? null : name;
    }
}
