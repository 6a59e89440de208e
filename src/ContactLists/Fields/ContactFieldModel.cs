using System.Text;
using System.Text.Json.Serialization;

namespace ContactLists;

/// <summary>What kind of field a <see cref="ContactField"/> is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ContactFieldKind>))]
public enum ContactFieldKind
{
    /// <summary>A field of the neutral <see cref="Contact"/> (<see cref="Contact.Phone"/>, <see cref="Contact.Email"/>, the names, <see cref="Contact.ExternalId"/>).</summary>
    Standard,

    /// <summary>A provider field reached through <see cref="Contact.Attributes"/> (Octopush <c>param1</c>, Messengeo <c>field01</c>, a SlickText custom field…).</summary>
    Custom,
}

/// <summary>One field of a provider's contacts, as the SDK maps it.</summary>
/// <param name="Name">
/// For a standard field, the neutral property (<c>Phone</c>, <c>Email</c>, <c>FirstName</c>, <c>LastName</c>,
/// <c>ExternalId</c>); for a custom field, the attribute key that reaches it (the provider's own name, such as <c>param1</c>).
/// </param>
/// <param name="ProviderField">The field on the provider's wire (<c>phone_number</c>, <c>custom_fields.tier</c>…), or <see langword="null"/> when the provider has no place for it.</param>
/// <param name="Kind">Standard or custom.</param>
/// <param name="Stored">Whether the provider stores it (a value sent is kept).</param>
/// <param name="ReadBack">Whether reading the list's members gives it back.</param>
public sealed record ContactField(string Name, string? ProviderField, ContactFieldKind Kind, bool Stored, bool ReadBack)
{
    /// <summary>Other attribute keys that reach this field (such as the key configured in <c>OctopushOptions.Param1Attribute</c>), compared without regard to case.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>What to know about it (its limits, how it is combined with another field).</summary>
    public string? Note { get; init; }

    /// <summary>
    /// Whether an update (<see cref="IContactListClient.UpdateContactsAsync(string, IEnumerable{Contact}, BulkOptions?, CancellationToken)"/>,
    /// and so a sync whose source changed it) changes it on a contact the provider already holds. By default, whether
    /// it is <see cref="Stored"/>; not the field a contact is found by (a new value there is another contact), and no
    /// field where the provider cannot update a contact.
    /// </summary>
    public bool Updated { get => _updated ?? Stored; init => _updated = value; }

    private readonly bool? _updated;

    /// <summary>Whether <paramref name="attributeKey"/> reaches this field: its name or one of its aliases, without regard to case.</summary>
    public bool Matches(string attributeKey)
        => string.Equals(Name, attributeKey, StringComparison.OrdinalIgnoreCase)
           || Aliases.Any(a => string.Equals(a, attributeKey, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// Which fields a provider's contacts have, as the SDK maps them (<see cref="IContactListClient.GetFieldsAsync"/>):
/// the neutral fields it stores and gives back, the custom fields <see cref="Contact.Attributes"/> can reach and their
/// names, and whether it takes attributes of any name. An attribute with no place is left out and counted in
/// <see cref="BulkResult.DroppedFields"/> (or refused, with <see cref="UnplacedAttributeHandling.Reject"/>); map an
/// attribute to a field with <see cref="ContactListClientOptions.AttributeMap"/> or <see cref="BulkOptions.AttributeMap"/>.
/// </summary>
public sealed class ContactFieldModel
{
    /// <summary>The provider's name.</summary>
    public required string Provider { get; init; }

    /// <summary>The fields, standard first.</summary>
    public required IReadOnlyList<ContactField> Fields { get; init; }

    /// <summary>
    /// Whether an attribute of any other name is sent too, under its own name (Whippy's <c>properties</c>, Movio's
    /// list columns): it then has a place whatever its name.
    /// </summary>
    public bool AcceptsAnyAttribute { get; init; }

    /// <summary>Where an attribute that matches no custom field goes, when <see cref="AcceptsAnyAttribute"/> is set.</summary>
    public string? AnyAttributeField { get; init; }

    /// <summary>The standard field named <paramref name="name"/> (<c>Email</c>, say).</summary>
    public ContactField? Standard(string name) => Fields.FirstOrDefault(f => f.Kind == ContactFieldKind.Standard && f.Name == name);

    /// <summary>The custom field <paramref name="attributeKey"/> reaches, if any.</summary>
    public ContactField? CustomFieldOf(string attributeKey) => Fields.FirstOrDefault(f => f.Kind == ContactFieldKind.Custom && f.Stored && f.Matches(attributeKey));

    /// <summary>The same model where no field is <see cref="ContactField.Updated"/> when <paramref name="noUpdates"/> (a provider set never to change a contact it holds).</summary>
    internal ContactFieldModel WithoutUpdates(bool noUpdates) => noUpdates
        ? new ContactFieldModel { Provider = Provider, Fields = [.. Fields.Select(f => f with { Updated = false })], AcceptsAnyAttribute = AcceptsAnyAttribute, AnyAttributeField = AnyAttributeField }
        : this;

    /// <summary>The fields as a table, one line each.</summary>
    public override string ToString()
    {
        var text = new StringBuilder().Append(Provider).AppendLine(" contact fields:");
        foreach (var field in Fields)
        {
            text.Append("  ").Append(field.Name.PadRight(14)).Append(' ')
                .Append((field.ProviderField ?? "(no place)").PadRight(24)).Append(' ')
                .Append(field.Stored ? "stored" : "not stored").Append(field.ReadBack ? ", read back" : string.Empty)
                .Append(field.Updated ? ", updated" : string.Empty);
            if (field.Note is not null)
            {
                text.Append(" — ").Append(field.Note);
            }

            text.AppendLine();
        }

        if (AcceptsAnyAttribute)
        {
            text.Append("  any other attribute → ").AppendLine(AnyAttributeField ?? "sent under its own name");
        }

        return text.ToString();
    }
}

/// <summary>What a bulk operation does with an attribute the provider has no place for.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UnplacedAttributeHandling>))]
public enum UnplacedAttributeHandling
{
    /// <summary>The default: leave the attribute out, send the contact, and count it in <see cref="BulkResult.DroppedFields"/>.</summary>
    LeaveOut,

    /// <summary>Refuse the contact, naming the attribute (as <see cref="InvalidContactHandling"/> says).</summary>
    Reject,
}
