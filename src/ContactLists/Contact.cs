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
}
