namespace ContactLists;

/// <summary>
/// A contact as the SDK sees it, whatever the provider. Which field identifies a contact depends on
/// the provider (see <see cref="IContactListClient.Identity"/>); the adapter checks it before sending.
/// </summary>
public sealed record Contact
{
    /// <summary>The provider's own id for this contact, when the provider returned one.</summary>
    public string? Id { get; init; }

    /// <summary>The e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>The mobile number in E.164 form (<c>+</c>, country code, number; no spaces).</summary>
    public string? Phone { get; init; }

    /// <summary>The first (given) name.</summary>
    public string? FirstName { get; init; }

    /// <summary>The last (family) name.</summary>
    public string? LastName { get; init; }

    /// <summary>The caller's own id for this contact, for providers that store one.</summary>
    public string? ExternalId { get; init; }

    /// <summary>Custom attributes, by the provider's attribute (custom field) key.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; init; } = EmptyAttributes;

    private static readonly IReadOnlyDictionary<string, string> EmptyAttributes = new Dictionary<string, string>(0);

    /// <summary>
    /// What the provider holds of this contact's consent, on a contact read from a provider that keeps it (SlickText's
    /// <c>opt_in_status</c>, Messengeo's opt-outs); <see langword="null"/> otherwise. Read only: the SDK never sends it,
    /// so an add or an update never changes a contact's consent.
    /// </summary>
    public ContactConsent? Consent { get; init; }

    /// <summary>Whether the contact has nothing at all: no id, identity, name or attribute (a blank row of a file, say).</summary>
    public bool IsBlank => string.IsNullOrWhiteSpace(Id) && string.IsNullOrWhiteSpace(Email) && string.IsNullOrWhiteSpace(Phone)
        && string.IsNullOrWhiteSpace(FirstName) && string.IsNullOrWhiteSpace(LastName) && string.IsNullOrWhiteSpace(ExternalId)
        && Attributes.Values.All(string.IsNullOrWhiteSpace);

    /// <summary>The contact's identity in a few characters, for messages: its id, else its phone, else its e-mail.</summary>
    internal string Describe() => Id ?? Phone ?? Email ?? ExternalId ?? "no identity";

    // The record's own ToString prints the attributes' type name; list them instead.
    private bool PrintMembers(System.Text.StringBuilder builder)
    {
        var first = true;
        void Add(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            builder.Append(first ? string.Empty : ", ").Append(name).Append(" = ").Append(value);
            first = false;
        }

        Add(nameof(Id), Id);
        Add(nameof(Phone), Phone);
        Add(nameof(Email), Email);
        Add(nameof(FirstName), FirstName);
        Add(nameof(LastName), LastName);
        Add(nameof(ExternalId), ExternalId);
        Add(nameof(Consent), Consent?.ToString());
        if (Attributes.Count > 0)
        {
            builder.Append(first ? string.Empty : ", ").Append(nameof(Attributes)).Append(" = { ")
                .AppendJoin(", ", Attributes.Select(a => a.Key + " = " + a.Value)).Append(" }");
        }

        return true;
    }
}

/// <summary>A contact's consent as a provider holds it (read only: the SDK never writes it).</summary>
/// <param name="SmsOptedOut">Whether the contact opted out of (or is blocked from) text messages.</param>
/// <param name="EmailOptedOut">Whether the contact opted out of e-mail (or bounced, or complained).</param>
/// <param name="ProviderStatus">The provider's own words, such as SlickText's <c>unsubscribed</c> or Messengeo's <c>sms: contact</c>.</param>
public sealed record ContactConsent(bool SmsOptedOut, bool EmailOptedOut, string? ProviderStatus)
{
    /// <summary>Whether the contact opted out of any channel.</summary>
    public bool OptedOut => SmsOptedOut || EmailOptedOut;

    /// <summary>The provider's words, else what the flags say.</summary>
    public override string ToString() => ProviderStatus ?? (OptedOut ? "opted out" : "not opted out");
}
