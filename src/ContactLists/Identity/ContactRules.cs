
namespace ContactLists.Identity;

/// <summary>
/// The rules one operation checks contacts by: how strictly phones are checked and which region national numbers
/// belong to, and where attributes go (the provider's field model, the attribute map, what to do with an attribute
/// that has no place). Built once per operation from the account's options and the call's.
/// </summary>
internal sealed class ContactRules(
    PhoneNumberCheck phoneCheck,
    string? defaultRegion,
    ContactFieldModel fields,
    IReadOnlyDictionary<string, string> attributeMap,
    UnplacedAttributeHandling unplaced,
    Func<CancellationToken, Task<ContactFieldModel>>? readFields = null,
    InvalidFieldHandling invalidFields = InvalidFieldHandling.LeaveOut)
{
    private Func<CancellationToken, Task<ContactFieldModel>>? _readFields = readFields;

    public PhoneNumberCheck PhoneCheck { get; } = phoneCheck;

    /// <summary>The region national numbers are read in (ISO 3166, such as <c>GB</c>); <see langword="null"/> when only international numbers are accepted.</summary>
    public string? DefaultRegion { get; } = defaultRegion;

    /// <summary>The provider's fields as known so far: the whole model, or (until <see cref="ReadFieldsAsync"/>) its static part.</summary>
    public ContactFieldModel Fields { get; private set; } = fields;

    /// <summary>Whether the provider's fields must still be read from the account before an attribute can be placed (SlickText's custom fields).</summary>
    public bool FieldsIncomplete => _readFields is not null;

    /// <summary>Reads the provider's fields from the account, once, the first time an attribute finds no place among those known.</summary>
    public async Task ReadFieldsAsync(CancellationToken cancellationToken)
    {
        if (_readFields is { } read)
        {
            Fields = await read(cancellationToken).ConfigureAwait(false);
            _readFields = null;
        }
    }

    /// <summary>Attribute key (any case) → the field it goes to.</summary>
    public IReadOnlyDictionary<string, string> AttributeMap { get; } = attributeMap;

    public UnplacedAttributeHandling Unplaced { get; } = unplaced;

    /// <summary>What an invalid field beside a valid identity does: left out (the default), or the contact refused.</summary>
    public InvalidFieldHandling InvalidFields { get; } = invalidFields;

    /// <summary>
    /// A field that is not the identity and is not valid: the contact without it (counted as <c>{field} (not valid)</c>)
    /// when such fields are left out, else the contact refused for it.
    /// </summary>
    /// <param name="contact">The contact, its identity already checked.</param>
    /// <param name="field">The field at fault.</param>
    /// <param name="reason">What is wrong with it.</param>
    /// <param name="clear">The contact without the field.</param>
    /// <param name="problem">How the field is counted when left out, such as <c>not valid</c> or <c>too long</c>.</param>
    public ContactCheck InvalidField(Contact contact, string field, string reason, Func<Contact, Contact> clear, string problem = "not valid")
        => InvalidFields == InvalidFieldHandling.Reject
            ? ContactCheck.Invalid(field, reason)
            : ContactCheck.Valid(clear(contact), [$"{field} ({problem})"]);

    public bool TryPhone(string? phone, out string normalized, out string reason)
        => ContactFieldRules.TryNormalizePhone(phone, PhoneCheck, DefaultRegion, out normalized, out reason);

    public static bool TryEmail(string? email, out string normalized, out string reason)
        => ContactFieldRules.TryNormalizeEmail(email, out normalized, out reason);

    /// <summary>Why a contact with no provider id, phone or e-mail is refused (after the field name <c>Id</c>).</summary>
    public const string NothingToFindBy = "is required, or a Phone or an Email to find the contact by";

    /// <summary>
    /// The identity rule of providers whose membership calls take their own contact ids (SlickText, Messengeo): the
    /// provider's id (a positive number), or a phone or an e-mail to find the contact by, checked and normalized. With
    /// <paramref name="emailAlongsidePhone"/>, an e-mail given next to a phone is checked too (it is sent when the
    /// contact is created, and the provider refuses an invalid one).
    /// </summary>
    public ContactCheck ProviderIdOrFindable(Contact contact, string providerName, bool emailAlongsidePhone)
    {
        if (contact.Id is { } id)
        {
            return long.TryParse(id, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) && number > 0
                ? ContactCheck.Valid(contact)
                : ContactCheck.Invalid(nameof(Contact.Id), $"'{id}' is not a {providerName} contact id (a positive number)");
        }

        if (contact.Phone is null && contact.Email is null)
        {
            return ContactCheck.Invalid(nameof(Contact.Id), NothingToFindBy);
        }

        if (contact.Phone is not null)
        {
            if (!TryPhone(contact.Phone, out var phone, out var reason))
            {
                return ContactCheck.Invalid(nameof(Contact.Phone), reason);
            }

            contact = contact with { Phone = phone };
            if (!emailAlongsidePhone)
            {
                return ContactCheck.Valid(contact);
            }
        }

        if (contact.Email is not null)
        {
            if (!TryEmail(contact.Email, out var email, out var reason))
            {
                // Beside a valid phone the e-mail is not what finds the contact: left out, not the contact.
                return contact.Phone is null
                    ? ContactCheck.Invalid(nameof(Contact.Email), reason)
                    : InvalidField(contact, nameof(Contact.Email), reason, c => c with { Email = null });
            }

            contact = contact with { Email = email };
        }

        return ContactCheck.Valid(contact);
    }
}
