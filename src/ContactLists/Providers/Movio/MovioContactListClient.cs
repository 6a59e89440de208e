using ContactLists.Bulk;

namespace ContactLists.Providers.Movio;

/// <summary>
/// The neutral client over Movio: membership writes only (lists are managed in the Movio EQ web app). E-mail
/// identifies a contact. Movio answers 202 and processes later, so contacts are reported accepted for processing.
/// </summary>
internal sealed class MovioContactListClient(string clientName, IMovioApi api, MovioOptions options, TimeProvider timeProvider)
    : ContactListClientBase(MovioProvider.Name, clientName, options, timeProvider)
{
    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts | ContactListCapabilities.ReplaceContacts;

    public override ContactIdentity Identity => ContactIdentity.Email;

    protected override int MaxBatchSize => MovioOptions.MaxContactsPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.OverwriteFirstBatch;

    protected override string? AppliesLater =>
        "Movio answers 202 and applies each batch later, in an order it does not document: a later batch's append may be applied before the first batch's replace, which would then remove it. Read the list back once Movio has processed the batches.";

    protected override ContactCheck CheckContact(Contact contact)
    {
        var check = base.CheckContact(contact);
        if (!check.IsValid)
        {
            return check;
        }

        foreach (var key in check.Normalized!.Attributes.Keys)
        {
            if (key == "email")
            {
                return ContactCheck.Invalid("Attributes[email]", "cannot be set: 'email' is the contact's address on Movio; use Contact.Email");
            }

            if (key == options.FirstNameAttribute || key == options.LastNameAttribute || key == options.PhoneAttribute || key == options.ExternalIdAttribute)
            {
                return ContactCheck.Invalid($"Attributes[{key}]", $"collides with the attribute a Contact field is sent as ('{key}')");
            }
        }

        return check;
    }

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction batchAction, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var action = batchAction switch
        {
            BatchAction.Add => MovioContactListAction.Append,
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
