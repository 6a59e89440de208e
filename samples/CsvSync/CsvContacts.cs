using System.Runtime.CompilerServices;
using ContactLists;
using Sylvan.Data.Csv;

namespace CsvSync;

/// <summary>Reads contacts from a CSV file as a stream: known headers map to <see cref="Contact"/> fields, other columns become attributes.</summary>
public static class CsvContacts
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["phone"] = nameof(Contact.Phone), ["mobile"] = nameof(Contact.Phone), ["mobile_number"] = nameof(Contact.Phone), ["phone_number"] = nameof(Contact.Phone),
        ["email"] = nameof(Contact.Email), ["e-mail"] = nameof(Contact.Email),
        ["first_name"] = nameof(Contact.FirstName), ["firstname"] = nameof(Contact.FirstName),
        ["last_name"] = nameof(Contact.LastName), ["lastname"] = nameof(Contact.LastName),
        ["external_id"] = nameof(Contact.ExternalId), ["customer_id"] = nameof(Contact.ExternalId),
    };

    /// <summary>Streams the contacts of a CSV file with a header row.</summary>
    public static async IAsyncEnumerable<Contact> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Sylvan detects the delimiter (',' ';' tab '|') from the header row and streams the rest.
        await using var csv = await CsvDataReader.CreateAsync(path, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        var headers = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        while (await csv.ReadAsync(cancellationToken))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var contact = new Contact();
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < headers.Length; i++)
            {
                var value = csv.GetString(i).Trim();
                if (string.IsNullOrWhiteSpace(value))
                {
                    continue;
                }

                contact = Fields.GetValueOrDefault(headers[i]) switch
                {
                    nameof(Contact.Phone) => contact with { Phone = value },
                    nameof(Contact.Email) => contact with { Email = value },
                    nameof(Contact.FirstName) => contact with { FirstName = value },
                    nameof(Contact.LastName) => contact with { LastName = value },
                    nameof(Contact.ExternalId) => contact with { ExternalId = value },
                    _ => Attribute(contact, attributes, headers[i], value),
                };
            }

            yield return contact with { Attributes = attributes };
        }
    }

    private static Contact Attribute(Contact contact, Dictionary<string, string> attributes, string key, string value)
    {
        attributes[key] = value;
        return contact;
    }
}
