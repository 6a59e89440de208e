using ContactLists.Bulk;
using ContactLists.Adapters;

namespace ContactLists.Providers.Octopush;

/// <summary>
/// The neutral client over Octopush. Lists are addressed by name, so a list's id is its name. Phone (E.164)
/// identifies a contact. Octopush offers no reads of lists or members. Octopush silently "fixes" or ignores data
/// it does not like, so every contact is checked here before sending.
/// </summary>
internal sealed class OctopushContactListClient(ClientWiring wiring, IOctopushApi api, OctopushOptions options)
    : ContactListClientBase(OctopushProvider.Name, options, wiring)
{
    // contact/create overwrites a contact of the same number, unless DoNotOverwrite says not to: then fields cannot be updated.
    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.CreateList | ContactListCapabilities.DeleteList |
        ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts | ContactListCapabilities.ReplaceContacts |
        (options.DoNotOverwrite == true ? ContactListCapabilities.None : ContactListCapabilities.UpdateContacts);

    public override ContactIdentity Identity => ContactIdentity.Phone;

    internal override bool ListsAddressedByName => true;

    protected override int MaxBatchSize => OctopushOptions.MaxContactsPerAdd;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override int MaxBatchSizeFor(BulkOperation operation)
        => operation == BulkOperation.Remove ? OctopushOptions.MaxNumbersPerDelete : OctopushOptions.MaxContactsPerAdd;

    // Octopush has no replace call: empty the list, then add.
    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.EmptyThenAdd;

    protected override int? DocumentedMaxListNameLength => OctopushOptions.DocumentedMaxListNameLength;

    protected override void CheckListId(string listId, string paramName)
    {
        if (listId.Length > OctopushOptions.DocumentedMaxListNameLength)
        {
            throw new ContactListValidationException(
                $"Octopush list names (which are their ids) are at most {OctopushOptions.DocumentedMaxListNameLength} characters, but '{listId}' has {listId.Length}; Octopush would shorten it silently.",
                paramName);
        }
    }

    protected override async Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken)
    {
        if (list.Description is not null)
        {
            throw new ContactListValidationException("Octopush lists have no description; leave Description null.", nameof(list));
        }

        await api.CreateContactListAsync(new OctopushContactListRequest { ListName = list.Name }, cancellationToken).ConfigureAwait(false);
        return new ContactList { Id = list.Name, Name = list.Name, ContactCount = 0, Status = ContactListStatus.Active };
    }

    protected override async Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken)
    {
        await api.DeleteContactListAsync(new OctopushContactListRequest { ListName = listId }, cancellationToken).ConfigureAwait(false);
        return new ContactListDeletion(listId, IsSoftDelete: false, List: null);
    }


    // Adds are batched; a remove deletes 200 numbers a call after making sure the list exists; a replace empties the list first.
    internal override IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds) => operation switch
    {
        BulkOperation.Remove =>
        [
            new(HttpMethod.Post, "/v1/public/contact-list/create", options.ListGuard == OctopushListGuard.EnsureListExists ? 1 : 0),
            new(HttpMethod.Delete, "/v1/public/contact/delete", PlannedRequests.Batches(contacts, Math.Min(batchSize, OctopushOptions.MaxNumbersPerDelete))),
        ],
        BulkOperation.Replace =>
        [
            new(HttpMethod.Post, "/v1/public/contact-list/create", options.ListGuard == OctopushListGuard.EnsureListExists ? 1 : 0),
            new(HttpMethod.Delete, "/v1/public/contact-list/empty", 1),
            new(HttpMethod.Post, "/v1/public/contact/create", PlannedRequests.Batches(contacts, batchSize)),
        ],
        _ => [new(HttpMethod.Post, "/v1/public/contact/create", PlannedRequests.Batches(contacts, batchSize))],
    };

    protected override ContactFieldModel FieldModel => new ContactFieldModel
    {
        Provider = OctopushProvider.Name,
        Fields =
        [
            new(nameof(Contact.Phone), "phone_number", ContactFieldKind.Standard, Stored: true, ReadBack: false) { Note = "identity, E.164; Octopush documents no read of contacts", Updated = false },
            new(nameof(Contact.FirstName), "first_name", ContactFieldKind.Standard, Stored: true, ReadBack: false),
            new(nameof(Contact.LastName), "last_name", ContactFieldKind.Standard, Stored: true, ReadBack: false),
            new(nameof(Contact.Email), null, ContactFieldKind.Standard, Stored: false, ReadBack: false) { Note = "Octopush contacts have no e-mail: left out, counted in DroppedFields" },
            new(nameof(Contact.ExternalId), null, ContactFieldKind.Standard, Stored: false, ReadBack: false) { Note = "no such field: left out, counted in DroppedFields" },
            .. Enumerable.Range(1, 5).Select(Param),
        ],
    }.WithoutUpdates(options.DoNotOverwrite == true);

    /// <summary>Slot <paramref name="n"/>: reached by <c>param{n}</c> and by the attribute key configured in <c>Param{n}Attribute</c>.</summary>
    private ContactField Param(int n) => new($"param{n}", $"param{n}", ContactFieldKind.Custom, Stored: true, ReadBack: false)
    {
        Aliases = options.ParamAttributes[n - 1] is { } key && !string.Equals(key, $"param{n}", StringComparison.OrdinalIgnoreCase) ? [key] : [],
        Note = $"free text; OctopushOptions.Param{n}Attribute names another attribute key for it",
    };


    protected override async Task<BatchResponse> SendBatchAsync(BatchAction operation, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        if (operation == BatchAction.Remove)
        {
            await EnsureListExistsAsync(listId, cancellationToken).ConfigureAwait(false);
            var delete = new OctopushDeleteContactsRequest { PhoneNumbers = batch.Contacts.Select(c => c.Phone!).ToList(), ListName = listId };
            await api.DeleteContactsAsync(delete, cancellationToken).ConfigureAwait(false);
            return new BatchResponse(BatchStatus.Accepted, "contact/delete");
        }

        const string action = "contact/create";
        var request = new OctopushCreateContactsRequest
        {
            Contacts = batch.Contacts.Select(ToOctopush).ToList(),
            ListName = listId,
            TagName = options.TagName,
            DoNotOverwrite = options.DoNotOverwrite,
        };
        if (options.SkipOptedOutContacts)
        {
            if (options.OptOutParameterName == OctopushOptOutParameter.AutoRemoveBlacklistedNumbers)
            {
                request.AutoRemoveBlacklistedNumbers = true;
            }
            else
            {
                request.AutoDeleteOptoutContacts = true;
            }
        }

        await api.CreateContactsAsync(request, cancellationToken).ConfigureAwait(false);
        return new BatchResponse(BatchStatus.Accepted, action);
    }

    protected override async Task EmptyListAsync(string listId, CancellationToken cancellationToken)
    {
        await EnsureListExistsAsync(listId, cancellationToken).ConfigureAwait(false);
        await api.EmptyContactListAsync(new OctopushEmptyContactListRequest { ListName = listId, DeleteContacts = false }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Octopush deletes numbers "from your account or from a particular list" and ignores what it does not recognise,
    /// and it has no call that says whether a list exists. So before a call naming a list that must not act on the whole
    /// account, create the list: a 201 means there was none and now there is one, empty; a refusal saying it exists
    /// means it exists. Any other answer stops the call, because the list may not exist.
    /// </summary>
    private async Task EnsureListExistsAsync(string listId, CancellationToken cancellationToken)
    {
        if (options.ListGuard == OctopushListGuard.None)
        {
            return;
        }

        try
        {
            await api.CreateContactListAsync(new OctopushContactListRequest { ListName = listId }, cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListRequestRejectedException refused) when (SaysListExists(refused))
        {
            // The list is there: the call that follows names a list Octopush knows.
        }
        catch (ContactListRequestRejectedException refused)
        {
            throw new ContactListRequestRejectedException(
                $"Octopush did not confirm that the list '{listId}' exists ({(int?)refused.StatusCode}: {string.Join("; ", refused.ErrorMessages)}), so nothing was removed: "
                + "a call naming a list Octopush does not know could act on the whole account. Set OctopushOptions.ListGuard = None only if the list is known to exist.",
                new ProviderError(refused.Provider, refused.StatusCode, refused.RequestId, refused.ErrorBody, refused.ErrorMessages, refused.RateLimit));
        }
    }

    // Octopush's answer to a duplicate list name is not documented: a 409, or a refusal whose message says the list exists.
    private static bool SaysListExists(ContactListRequestRejectedException refused)
        => refused.StatusCode == System.Net.HttpStatusCode.Conflict
            || refused.ErrorMessages.Append(refused.ErrorBody ?? string.Empty).Any(m => m.Contains("exist", StringComparison.OrdinalIgnoreCase));

    private OctopushContact ToOctopush(Contact contact)
    {
        // Attributes arrive placed on the field model's slots, keyed param1..param5.
        string? Param(int n) => contact.Attributes.TryGetValue($"param{n}", out var value) ? value : null;
        return new OctopushContact
        {
            PhoneNumber = contact.Phone!,
            FirstName = contact.FirstName,
            LastName = contact.LastName,
            Param1 = Param(1),
            Param2 = Param(2),
            Param3 = Param(3),
            Param4 = Param(4),
            Param5 = Param(5),
        };
    }
}
