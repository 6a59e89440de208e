using ContactLists.Fields;
using ContactLists.Identity;

namespace ContactLists.Adapters;

// Fields: how a contact is checked and its attributes placed on the provider's field model before it is sent.
internal abstract partial class ContactListClientBase
{
    /// <summary>The provider's contact fields as this adapter maps them (see <see cref="ContactFieldModel"/>).</summary>
    protected abstract ContactFieldModel FieldModel { get; }

    /// <summary>The field model, for providers whose custom fields are read from the account (SlickText); by default <see cref="FieldModel"/>.</summary>
    protected virtual Task<ContactFieldModel> LoadFieldModelAsync(CancellationToken cancellationToken) => Task.FromResult(FieldModel);

    /// <summary>Whether <see cref="FieldModel"/> is only the static part of the model, the rest being read by <see cref="LoadFieldModelAsync"/> when an attribute needs it.</summary>
    protected virtual bool FieldModelIsPartial => false;

    public Task<ContactFieldModel> GetFieldsAsync(CancellationToken cancellationToken = default) => LoadFieldModelAsync(cancellationToken);

    /// <summary>
    /// As <see cref="Prepare"/>, first reading the provider's fields from the account when an attribute finds no place
    /// among those known (SlickText's custom fields: read once, and only when a contact needs them).
    /// </summary>
    internal async ValueTask<ContactCheck> PrepareAsync(Contact contact, ContactRules rules, CancellationToken cancellationToken)
    {
        if (rules.FieldsIncomplete && contact.Attributes.Keys.Any(key => !FieldPlacement.HasPlace(key, rules)))
        {
            await rules.ReadFieldsAsync(cancellationToken).ConfigureAwait(false);
        }

        return Prepare(contact, rules);
    }

    /// <summary>
    /// Checks a contact as the operation will send it: places its attributes on the provider's fields and leaves out
    /// the standard fields the provider does not store (<see cref="FieldPlacement"/>), then runs the adapter's own checks.
    /// </summary>
    internal ContactCheck Prepare(Contact contact, ContactRules rules)
    {
        var placed = FieldPlacement.Place(contact, rules, ProviderName);
        if (!placed.IsValid)
        {
            return placed;
        }

        return CheckContact(placed.Normalized!, rules).After(placed.Dropped);
    }

    /// <summary>
    /// The fields a sync compares and fingerprints, of a checked contact or a member read back (see <see cref="SyncFields"/>).
    /// A provider that stores a field differently from the neutral model (Whippy's one name) compares it as it stores it.
    /// </summary>
    internal virtual void ComparableFields(Contact contact, List<KeyValuePair<string, string>> into) => SyncFields.Collect(contact, into);

    /// <summary>The rules of one operation: the account's phone check, region, field model and attribute map, with the call's on top.</summary>
    internal ContactRules RulesFor(BulkOptions? options) => RulesFor(options, FieldModel, FieldModelIsPartial ? LoadFieldModelAsync : null);

    private ContactRules RulesFor(BulkOptions? options, ContactFieldModel fields, Func<CancellationToken, Task<ContactFieldModel>>? readFields)
    {
        var map = new Dictionary<string, string>(ClientOptions.AttributeMap, StringComparer.OrdinalIgnoreCase);
        foreach (var (key, field) in options?.AttributeMap ?? new Dictionary<string, string>())
        {
            map[key] = field;
        }

        return new ContactRules(ClientOptions.PhoneNumberCheck, options?.DefaultRegion ?? ClientOptions.DefaultRegion, fields, map, ClientOptions.UnplacedAttributes, readFields,
            options?.InvalidFields ?? InvalidFieldHandling.LeaveOut);
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
}
