using ContactLists.Identity;

namespace ContactLists.Fields;

/// <summary>Where a contact's fields go on a provider's <see cref="ContactFieldModel"/>, before the adapter's own checks.</summary>
internal static class FieldPlacement
{
    /// <summary>Whether an attribute has a place among the fields known (mapped by the attribute map, or any name where the provider takes any).</summary>
    /// <param name="key">The attribute's key.</param>
    /// <param name="rules">The operation's rules.</param>
    public static bool HasPlace(string key, ContactRules rules)
    {
        var target = rules.AttributeMap.TryGetValue(key, out var mapped) ? mapped : key;
        return rules.Fields.CustomFieldOf(target) is not null || rules.Fields.AcceptsAnyAttribute;
    }

    /// <summary>
    /// Places a contact's attributes on the provider's fields (an attribute with no place is left out and reported, or
    /// refuses the contact under <see cref="UnplacedAttributeHandling.Reject"/>) and leaves out the standard fields the
    /// provider does not store. The result's <see cref="ContactCheck.Dropped"/> names what was left out.
    /// </summary>
    /// <param name="contact">The contact as given.</param>
    /// <param name="rules">The operation's rules (field model, attribute map, unplaced handling).</param>
    /// <param name="provider">The provider, named in a refusal.</param>
    public static ContactCheck Place(Contact contact, ContactRules rules, string provider)
    {
        List<string>? dropped = null;
        if (contact.Attributes.Count > 0)
        {
            var placed = new Dictionary<string, string>(contact.Attributes.Count, StringComparer.Ordinal);
            foreach (var (key, value) in contact.Attributes)
            {
                var target = rules.AttributeMap.TryGetValue(key, out var mapped) ? mapped : key;
                var field = rules.Fields.CustomFieldOf(target);
                var collides = rules.Fields.Fields.Any(f => f.Kind == ContactFieldKind.Standard && string.Equals(f.ProviderField, target, StringComparison.OrdinalIgnoreCase));
                if (field is not null)
                {
                    placed[field.Name] = value;
                }
                else if (rules.Fields.AcceptsAnyAttribute && !collides)
                {
                    placed[target] = value;
                }
                else if (rules.Unplaced == UnplacedAttributeHandling.Reject)
                {
                    return ContactCheck.Invalid($"Attributes[{key}]", collides
                        ? $"would overwrite the field a Contact property is sent as ('{target}')"
                        : $"has no place on {provider} (its fields: {string.Join(", ", rules.Fields.Fields.Where(f => f.Kind == ContactFieldKind.Custom && f.Stored).Select(f => f.Name))}); map it with AttributeMap");
                }
                else
                {
                    (dropped ??= []).Add($"Attributes[{key}]");
                }
            }

            contact = contact with { Attributes = placed };
        }

        // Standard fields the provider does not store are left out (Octopush has no e-mail), never refused.
        contact = LeaveOut(contact, nameof(Contact.Email), contact.Email, c => c with { Email = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.Phone), contact.Phone, c => c with { Phone = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.FirstName), contact.FirstName, c => c with { FirstName = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.LastName), contact.LastName, c => c with { LastName = null }, rules, ref dropped);
        contact = LeaveOut(contact, nameof(Contact.ExternalId), contact.ExternalId, c => c with { ExternalId = null }, rules, ref dropped);

        return ContactCheck.Valid(contact, dropped);

        static Contact LeaveOut(Contact contact, string name, string? value, Func<Contact, Contact> clear, ContactRules rules, ref List<string>? dropped)
        {
            if (value is null || rules.Fields.Standard(name) is not { Stored: false })
            {
                return contact;
            }

            (dropped ??= []).Add(name);
            return clear(contact);
        }
    }
}
