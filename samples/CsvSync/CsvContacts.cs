using System.Runtime.CompilerServices;
using ContactLists;
using Sylvan.Data.Csv;

namespace CsvSync;

/// <summary>
/// Reads contacts from a CSV file as a stream. Headers are matched after normalising case, spaces and punctuation
/// (<c>Mobile Number</c>, <c>mobile_number</c> and <c>MOBILE-NUMBER</c> are one header), with aliases; other columns
/// become attributes under their header as written.
/// </summary>
public static class CsvContacts
{
    private static readonly Dictionary<string, string> Fields = new(StringComparer.Ordinal)
    {
        ["phone"] = nameof(Contact.Phone), ["phonenumber"] = nameof(Contact.Phone), ["mobile"] = nameof(Contact.Phone),
        ["mobilenumber"] = nameof(Contact.Phone), ["mobilephone"] = nameof(Contact.Phone), ["cell"] = nameof(Contact.Phone),
        ["cellphone"] = nameof(Contact.Phone), ["msisdn"] = nameof(Contact.Phone), ["tel"] = nameof(Contact.Phone), ["telephone"] = nameof(Contact.Phone),
        ["email"] = nameof(Contact.Email), ["emailaddress"] = nameof(Contact.Email), ["mail"] = nameof(Contact.Email),
        ["firstname"] = nameof(Contact.FirstName), ["givenname"] = nameof(Contact.FirstName), ["forename"] = nameof(Contact.FirstName),
        ["lastname"] = nameof(Contact.LastName), ["surname"] = nameof(Contact.LastName), ["familyname"] = nameof(Contact.LastName),
        ["externalid"] = nameof(Contact.ExternalId), ["customerid"] = nameof(Contact.ExternalId), ["customernumber"] = nameof(Contact.ExternalId),
    };

    /// <summary>The headers (as normalised) that can carry a contact's phone number.</summary>
    public static IEnumerable<string> PhoneHeaders => Fields.Where(f => f.Value == nameof(Contact.Phone)).Select(f => f.Key);

    /// <summary>The headers (as normalised) that can carry a contact's e-mail address.</summary>
    public static IEnumerable<string> EmailHeaders => Fields.Where(f => f.Value == nameof(Contact.Email)).Select(f => f.Key);

    /// <summary>A header reduced to lower-case letters and digits: <c>E-mail</c> → <c>email</c>, <c>Mobile Number</c> → <c>mobilenumber</c>.</summary>
    public static string Normalize(string header) => string.Concat(header.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>The contact field a header maps to (<c>Phone</c>, <c>Email</c>, …), or <see langword="null"/> for an attribute.</summary>
    public static string? FieldOf(string header) => Fields.GetValueOrDefault(Normalize(header));

    /// <summary>The file's header row.</summary>
    public static async Task<IReadOnlyList<string>> ReadHeadersAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var csv = await CsvDataReader.CreateAsync(path, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        return Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
    }

    /// <summary>Streams the contacts of a CSV file with a header row.</summary>
    public static async IAsyncEnumerable<Contact> ReadAsync(string path, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Sylvan detects the delimiter (',' ';' tab '|') from the header row and streams the rest.
        await using var csv = await CsvDataReader.CreateAsync(path, new CsvDataReaderOptions { HasHeaders = true }, cancellationToken);
        var headers = Enumerable.Range(0, csv.FieldCount).Select(csv.GetName).ToArray();
        var fields = headers.Select(FieldOf).ToArray();
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

                contact = fields[i] switch
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
