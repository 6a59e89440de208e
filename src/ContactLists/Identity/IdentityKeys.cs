namespace ContactLists.Identity;

/// <summary>
/// The one way a contact's identity is written as a key, wherever contacts are compared or remembered: a sync's plan
/// and ledger, the identity map of providers keyed by their own ids, and the duplicates of a bulk call.
/// <c>tel:</c> and the E.164 phone, <c>mailto:</c> and the lower-case e-mail, <c>id:</c> and the provider's id.
/// </summary>
internal static class IdentityKeys
{
    private const string Tel = "tel:";
    private const string Mailto = "mailto:";
    private const string IdPrefix = "id:";

    /// <summary>The key of a phone number: normalized to E.164 when it is one, else as given (trimmed).</summary>
    public static string ForPhone(string phone) => Tel + NormalizedPhone(phone);

    /// <summary>The key of an e-mail address: trimmed and lower-case (providers compare addresses without case).</summary>
    public static string ForEmail(string email) => Mailto + email.Trim().ToLowerInvariant();

    /// <summary>
    /// The key a contact is compared by on a provider that identifies contacts by <paramref name="identity"/>: its phone
    /// (Phone), its e-mail (Email), or, for providers keyed by their own ids, the phone else the e-mail it is found by.
    /// Works on a checked contact and on a member read back alike. <see langword="null"/> when it has none.
    /// </summary>
    public static string? Of(ContactIdentity identity, Contact contact) => identity switch
    {
        ContactIdentity.Phone => PhoneKey(contact),
        ContactIdentity.Email => EmailKey(contact),
        _ => PhoneKey(contact) ?? EmailKey(contact),
    };

    /// <summary>
    /// The key a checked contact is sent under in one bulk call, to send each identity once: as <see cref="Of"/>, except
    /// that a contact given with a provider id (providers keyed by their own ids) is that id.
    /// </summary>
    public static string? OfSent(ContactIdentity identity, Contact contact)
        => identity == ContactIdentity.ProviderId && !string.IsNullOrWhiteSpace(contact.Id) ? IdPrefix + contact.Id : Of(identity, contact);

    /// <summary>Every key a contact can be found by (its phone and its e-mail), for providers keyed by their own ids.</summary>
    public static IEnumerable<string> AllOf(Contact contact)
    {
        if (PhoneKey(contact) is { } phone)
        {
            yield return phone;
        }

        if (EmailKey(contact) is { } email)
        {
            yield return email;
        }
    }

    /// <summary>A contact carrying only the identity a key names (and, when given, the provider's id).</summary>
    public static Contact ToContact(string key, string? providerId = null) => key.StartsWith(Tel, StringComparison.Ordinal)
        ? new Contact { Id = providerId, Phone = key[Tel.Length..] }
        : key.StartsWith(Mailto, StringComparison.Ordinal)
            ? new Contact { Id = providerId, Email = key[Mailto.Length..] }
            : new Contact { Id = providerId ?? key[IdPrefix.Length..] };

    /// <summary>The identity a key names, for messages: the phone, the e-mail or the id, without the prefix.</summary>
    public static string Describe(string key) => key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private static string? PhoneKey(Contact contact) => string.IsNullOrWhiteSpace(contact.Phone) ? null : ForPhone(contact.Phone);

    private static string? EmailKey(Contact contact) => string.IsNullOrWhiteSpace(contact.Email) ? null : ForEmail(contact.Email);

    /// <summary>E.164 as it is (the common case: checked contacts and what providers return), else normalized when it can be.</summary>
    private static string NormalizedPhone(string phone)
    {
        var trimmed = phone.Trim();
        if (IsE164(trimmed))
        {
            return trimmed;
        }

        return ContactFieldRules.TryNormalizePhone(trimmed, PhoneNumberCheck.Possible, out var normalized, out _) ? normalized : trimmed;
    }

    private static bool IsE164(string phone)
    {
        if (phone.Length is < 8 or > 16 || phone[0] != '+' || phone[1] == '0')
        {
            return false;
        }

        foreach (var c in phone.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
