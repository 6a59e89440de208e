using System.Text.Json;
using ContactLists.Http;

namespace ContactLists.Providers.Messengeo;

/// <summary>Messengeo's contacts on the wire: the properties the SDK reads and writes, and how a page ends.</summary>
internal static class MessengeoContacts
{
    /// <summary>The contact properties Messengeo documents beyond the neutral ones: the free fields field01..field15, then the identity and address ones.</summary>
    internal static readonly string[] CustomFieldNames =
    [
        .. Enumerable.Range(1, 15).Select(i => $"field{i:D2}"),
        "civility", "address1", "address2", "zipcode", "city", "state", "country", "birthDate", "company", "phone", "fax",
    ];

    // Declared after CustomFieldNames: static fields are initialized in order.
    internal static readonly string MemberProperties = "id,mobile,email,firstName,lastName,reference,listIds,smsOptout,emailOptout," + string.Join(',', CustomFieldNames);

    /// <summary>A contact's properties as Messengeo names them, for a create or an update: never an opt-out property.</summary>
    internal static Dictionary<string, string> Properties(Contact contact)
    {
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        void Put(string name, string? value)
        {
            if (value is not null)
            {
                properties[name] = value;
            }
        }

        Put("mobile", contact.Phone);
        Put("email", contact.Email);
        Put("firstName", contact.FirstName);
        Put("lastName", contact.LastName);
        Put("reference", contact.ExternalId);
        // Attributes arrive placed on the field model: field01..field15 and the documented properties, nothing else.
        foreach (var (key, value) in contact.Attributes)
        {
            Put(key, value);
        }

        return properties;
    }

    /// <summary>
    /// A Messengeo page. Its maximum <c>limit</c> is not documented, so a page shorter than asked for does not prove
    /// the end (a server capping pages at 50 would otherwise leave the rest unread): the end is <c>total</c> reached,
    /// or, when the answer has no <c>total</c>, an empty page.
    /// </summary>
    internal static Page<T> PageOf<T>(List<T> items, long? total) => new(items, More: null, total);

    /// <summary>
    /// A <c>metaData</c> form field: a JSON object, written as the docs show it (<c>{"mobile":"+33600000001"}</c>, not
    /// <c>\u002B</c>): it travels form-encoded, never inside HTML, so nothing but JSON's own characters is escaped.
    /// </summary>
    internal static string MetaData(Dictionary<string, string> values)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            foreach (var (name, value) in values)
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    internal static Contact ToContact(MessengeoContact contact) => new()
    {
        Id = contact.Id,
        Phone = contact.Mobile,
        Email = contact.Email,
        FirstName = contact.FirstName,
        LastName = contact.LastName,
        ExternalId = contact.Reference,
        Attributes = contact.ExtensionData?
            .Where(p => Array.IndexOf(CustomFieldNames, p.Key) >= 0 && p.Value.ValueKind is JsonValueKind.String)
            .ToDictionary(p => p.Key, p => p.Value.GetString()!) ?? new Dictionary<string, string>(),
        Consent = ConsentOf(contact),
    };

    /// <summary>Messengeo's opt-outs: <c>smsOptout</c> and <c>emailOptout</c> are null, or who opted the contact out (<c>contact</c>, <c>user</c>, and for e-mail <c>hardbounced</c> or <c>spam</c>).</summary>
    internal static ContactConsent? ConsentOf(MessengeoContact contact)
    {
        string? Read(string name) => contact.ExtensionData?.TryGetValue(name, out var value) == true && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;
        var sms = Read("smsOptout");
        var email = Read("emailOptout");
        return contact.ExtensionData is null || (!contact.ExtensionData.ContainsKey("smsOptout") && !contact.ExtensionData.ContainsKey("emailOptout"))
            ? null
            : new ContactConsent(sms is not null, email is not null, sms is null && email is null ? null : $"sms: {sms ?? "in"}, email: {email ?? "in"}");
    }
}
