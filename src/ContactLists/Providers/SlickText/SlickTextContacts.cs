using System.Globalization;

namespace ContactLists.Providers.SlickText;

/// <summary>SlickText's contacts on the wire: the fields the SDK reads and writes, and its ids.</summary>
internal static class SlickTextContacts
{
    /// <summary>The contact fields SlickText documents beyond the neutral ones, sent at the top level of a contact.</summary>
    internal static readonly string[] StandardExtras = ["birthdate", "address", "city", "state", "zip", "country", "timezone", "language"];

    internal static long ParseId(string id, string paramName)
        => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ContactListValidationException($"SlickText ids are positive numbers, but '{id}' is not.", paramName);

    /// <summary>
    /// The contact's fields on a create or an update. Attributes arrive placed on the field model: the documented
    /// fields (city, zip…) go at the top level, the rest are custom fields. Never an opt-in status: only a create may
    /// set one, and only the one the options name.
    /// </summary>
    internal static T Fields<T>(Contact contact, T request)
        where T : SlickTextUpdateContactRequest
    {
        string? Standard(string name) => contact.Attributes.TryGetValue(name, out var value) ? value : null;
        var custom = contact.Attributes.Where(a => Array.IndexOf(StandardExtras, a.Key) < 0).ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
        request.MobileNumber = contact.Phone;
        request.FirstName = contact.FirstName;
        request.LastName = contact.LastName;
        request.Email = contact.Email;
        request.Birthdate = Standard("birthdate");
        request.Address = Standard("address");
        request.City = Standard("city");
        request.State = Standard("state");
        request.Zip = Standard("zip");
        request.Country = Standard("country");
        request.Timezone = Standard("timezone");
        request.Language = Standard("language");
        request.CustomFields = custom.Count == 0 ? null : custom;
        return request;
    }

    internal static Contact ToContact(SlickTextContact contact)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in contact.CustomFields ?? [])
        {
            if (value.ValueKind is not (System.Text.Json.JsonValueKind.Null or System.Text.Json.JsonValueKind.Undefined))
            {
                attributes[key] = Text(value);
            }
        }

        // The documented fields (city, zip…) come back at the top level, as attributes under their own names.
        if (contact.Zip is { } zip)
        {
            attributes["zip"] = zip;
        }

        foreach (var name in StandardExtras)
        {
            if (contact.ExtensionData?.TryGetValue(name, out var value) == true && value.ValueKind is System.Text.Json.JsonValueKind.String or System.Text.Json.JsonValueKind.Number)
            {
                attributes[name] = Text(value);
            }
        }

        return new Contact
        {
            Id = contact.ContactId.ToString(CultureInfo.InvariantCulture),
            Phone = contact.MobileNumber,
            Email = contact.Email,
            FirstName = contact.FirstName,
            LastName = contact.LastName,
            Attributes = attributes,
            // SlickText is SMS: "unsubscribed" and "blocked" contacts are not texted, whatever list they are in.
            Consent = contact.OptInStatus is { } status ? new ContactConsent(status is "unsubscribed" or "blocked", EmailOptedOut: false, status) : null,
        };

        static string Text(System.Text.Json.JsonElement value) => value.ValueKind == System.Text.Json.JsonValueKind.String ? value.GetString()! : value.GetRawText();
    }
}
