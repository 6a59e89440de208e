using ContactLists.Bulk;
using ContactLists.Adapters;

namespace ContactLists.Providers.Movio;

/// <summary>
/// The neutral client over Movio: membership writes only (lists are managed in the Movio EQ web app). E-mail
/// identifies a contact. Movio answers 202 and processes later, so contacts are reported accepted for processing.
/// </summary>
internal sealed class MovioContactListClient(ClientWiring wiring, IMovioApi api, MovioOptions options)
    : ContactListClientBase(MovioProvider.Name, options, wiring)
{
    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts | ContactListCapabilities.ReplaceContacts |
        ContactListCapabilities.UpdateContacts;

    public override ContactIdentity Identity => ContactIdentity.Email;

    protected override int MaxBatchSize => MovioOptions.MaxContactsPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.OverwriteFirstBatch;

    protected override string? AppliesLater =>
        "Movio answers 202 and applies each batch later, in an order it does not document: a later batch's append may be applied before the first batch's replace, which would then remove it. Read the list back once Movio has processed the batches.";

    internal override IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds)
        => [new(HttpMethod.Put, "/contact-lists/list/contacts", PlannedRequests.Batches(contacts, batchSize))];

    protected override ContactFieldModel FieldModel => new()
    {
        Provider = MovioProvider.Name,
        Fields =
        [
            new(nameof(Contact.Email), "email", ContactFieldKind.Standard, Stored: true, ReadBack: false) { Note = "identity; Movio documents no read of a list's contacts", Updated = false },
            Column(nameof(Contact.FirstName), options.FirstNameAttribute, nameof(MovioOptions.FirstNameAttribute)),
            Column(nameof(Contact.LastName), options.LastNameAttribute, nameof(MovioOptions.LastNameAttribute)),
            Column(nameof(Contact.Phone), options.PhoneAttribute, nameof(MovioOptions.PhoneAttribute)),
            Column(nameof(Contact.ExternalId), options.ExternalIdAttribute, nameof(MovioOptions.ExternalIdAttribute)),
        ],
        AcceptsAnyAttribute = true,
        AnyAttributeField = "a list column of the same name (a string); Movio fixes a list's columns when the list is saved in EQ",
    };

    private static ContactField Column(string name, string? attribute, string setting) => attribute is null
        ? new(name, null, ContactFieldKind.Standard, Stored: false, ReadBack: false) { Note = $"left out unless MovioOptions.{setting} names a column" }
        : new(name, attribute, ContactFieldKind.Standard, Stored: true, ReadBack: false) { Note = $"the list column MovioOptions.{setting} names" };

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction batchAction, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var action = batchAction switch
        {
            // Movio's append adds or updates the listed contacts: an update is an append of members.
            BatchAction.Add or BatchAction.Update => MovioContactListAction.Append,
            BatchAction.Remove => MovioContactListAction.Delete,
            _ => MovioContactListAction.Replace,
        };
        var contacts = new MovioContact[batch.Contacts.Count];
        for (var i = 0; i < contacts.Length; i++)
        {
            contacts[i] = ToMovio(batch.Contacts[i]);
        }

        using var response = await api.UpdateContactsAsync(listId, action, contacts, cancellationToken).ConfigureAwait(false);
        var counts = response.ReadCounts();
        IReadOnlyDictionary<string, long>? providerCounts = counts is null ? null : new Dictionary<string, long>
        {
            ["total"] = counts.Total ?? 0,
            ["created"] = counts.CreatedCount ?? 0,
            ["updated"] = counts.UpdatedCount ?? 0,
        };
        return new BatchResponse(BatchStatus.AcceptedForProcessing, action, ProviderCounts: providerCounts);
    }

    private MovioContact ToMovio(Contact contact)
    {
        var movio = new MovioContact(contact.Email!);
        foreach (var (key, value) in contact.Attributes)
        {
            movio.Attributes[key] = value;
        }

        Put(options.FirstNameAttribute, contact.FirstName);
        Put(options.LastNameAttribute, contact.LastName);
        Put(options.PhoneAttribute, contact.Phone);
        Put(options.ExternalIdAttribute, contact.ExternalId);
        return movio;

        void Put(string? key, string? value)
        {
            if (key is not null && value is not null)
            {
                movio.Attributes[key] = value;
            }
        }
    }
}
