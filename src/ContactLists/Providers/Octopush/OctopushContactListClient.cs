using ContactLists.Bulk;

namespace ContactLists.Providers.Octopush;

/// <summary>
/// The neutral client over Octopush. Lists are addressed by name, so a list's id is its name. Phone (E.164)
/// identifies a contact. Octopush offers no reads of lists or members. Octopush silently "fixes" or ignores data
/// it does not like, so every contact is checked here before sending.
/// </summary>
internal sealed class OctopushContactListClient(string clientName, IOctopushApi api, OctopushOptions options, TimeProvider timeProvider)
    : ContactListClientBase(OctopushProvider.Name, clientName, timeProvider)
{
    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.CreateList | ContactListCapabilities.DeleteList |
        ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts | ContactListCapabilities.ReplaceContacts;

    public override ContactIdentity Identity => ContactIdentity.Phone;

    protected override int MaxBatchSize => OctopushOptions.MaxContactsPerAdd;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override int MaxBatchSizeFor(BulkOperation operation)
        => operation == BulkOperation.Remove ? OctopushOptions.MaxNumbersPerDelete : OctopushOptions.MaxContactsPerAdd;

    // Octopush has no replace call: empty the list, then add.
    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.EmptyThenAdd;

    protected override int? MaxListNameLength => OctopushOptions.MaxListNameLength;

    protected override void CheckListId(string listId, string paramName)
    {
        if (listId.Length > OctopushOptions.MaxListNameLength)
        {
            throw new ContactListValidationException(
                $"Octopush list names (which are their ids) are at most {OctopushOptions.MaxListNameLength} characters, but '{listId}' has {listId.Length}; Octopush would shorten it silently.",
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


    protected override ContactCheck CheckContact(Contact contact)
    {
        var check = base.CheckContact(contact);
        if (!check.IsValid)
        {
            return check;
        }

        var slots = options.ParamAttributes;
        foreach (var key in check.Normalized!.Attributes.Keys)
        {
            if (Array.IndexOf(slots, key) < 0)
            {
                return ContactCheck.Invalid($"Attributes[{key}]", "has no place on Octopush, which stores param1..param5 only; map it with OctopushOptions.Param1Attribute..Param5Attribute");
            }
        }

        // Octopush contacts have no e-mail: an address given is not sent, and the result says so.
        return check.Normalized.Email is null ? check : ContactCheck.Valid(check.Normalized with { Email = null }, DroppedEmail);
    }

    private static readonly string[] DroppedEmail = [nameof(Contact.Email)];

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction operation, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        if (operation == BatchAction.Remove)
        {
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

    protected override Task EmptyListAsync(string listId, CancellationToken cancellationToken)
        => api.EmptyContactListAsync(new OctopushEmptyContactListRequest { ListName = listId, DeleteContacts = false }, cancellationToken);

    private OctopushContact ToOctopush(Contact contact)
    {
        string? Param(int slot) => options.ParamAttributes[slot] is { } key && contact.Attributes.TryGetValue(key, out var value) ? value : null;
        return new OctopushContact
        {
            PhoneNumber = contact.Phone!,
            FirstName = contact.FirstName,
            LastName = contact.LastName,
            Param1 = Param(0),
            Param2 = Param(1),
            Param3 = Param(2),
            Param4 = Param(3),
            Param5 = Param(4),
        };
    }
}
