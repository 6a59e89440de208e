using System.Globalization;
using System.Text;

namespace ContactLists.Tests.Sync;

/// <summary>One customer of a <see cref="MessyExport"/>, with what its row really holds.</summary>
/// <param name="Row">Its position among the file's customers (duplicates and blank lines not counted).</param>
/// <param name="Phone">Its phone in E.164, or <see langword="null"/> when the row has none or an invalid one.</param>
/// <param name="Email">Its e-mail in lower case, or <see langword="null"/> when the row has none.</param>
/// <param name="EmailValid">Whether the e-mail is a valid address.</param>
/// <param name="PhoneInvalid">Whether the row has a phone that is not a number.</param>
public sealed record ExportCustomer(int Row, string? Phone, string? Email, bool EmailValid, bool PhoneInvalid);

/// <summary>
/// Writes the export a CRM gives: a byte-order mark, headers as people write them (<c>Mobile Number</c>, <c>E-mail</c>,
/// <c>First Name</c>), extra columns (<c>Tier</c>, <c>City</c>), UK numbers in national form (<c>07911 123456</c>) mixed
/// with international ones, duplicates written differently, blank lines, quoted commas, customers with only an e-mail,
/// a few bad e-mails and bad phones. Deterministic for a seed; <see cref="Customers"/> says what each row really holds.
/// </summary>
public sealed class MessyExport
{
    private readonly List<ExportCustomer> _customers = [];

    /// <summary>The distinct customers written (each once, whatever its duplicates).</summary>
    public IReadOnlyList<ExportCustomer> Customers => _customers;

    /// <summary>Rows that repeat an earlier customer.</summary>
    public int Duplicates { get; private set; }

    /// <summary>Blank lines written.</summary>
    public int BlankLines { get; private set; }

    /// <summary>Writes <paramref name="customers"/> customers to <paramref name="path"/>; customer <c>i</c> is the same person in every file written with the same <paramref name="offset"/> scheme.</summary>
    /// <param name="path">Where to write.</param>
    /// <param name="customers">How many customers.</param>
    /// <param name="seed">The seed of the mess.</param>
    /// <param name="changed">Customers (by row) replaced with new people, as in a later export where some left and others joined.</param>
    public static MessyExport Write(string path, int customers, int seed = 7, IReadOnlySet<int>? changed = null)
    {
        var export = new MessyExport();
        var random = new Random(seed);
        var text = new StringBuilder();
        text.Append("Mobile Number,E-mail,First Name,Last Name,Tier,City\r\n");
        string[] tiers = ["Gold", "Silver", "Bronze"];
        string[] cities = ["Leeds", "\"London, UK\"", "Manchester", "\"Bath, Somerset\"", "York"];
        for (var i = 0; i < customers; i++)
        {
            // A changed row is another person: another number and address, same layout.
            var person = changed?.Contains(i) == true ? i + 500_000 : i;
            var kind = random.Next(100);
            string? phoneCell;
            string? phone;
            var phoneInvalid = false;
            var digits = (person % 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
            switch (kind)
            {
                case < 55:
                    // A UK mobile in national form.
                    phoneCell = $"07911 {digits}";
                    phone = $"+447911{digits}";
                    break;
                case < 80:
                    phoneCell = $"+44 7911 {digits[..3]} {digits[3..]}";
                    phone = $"+447911{digits}";
                    break;
                case < 90:
                    phoneCell = $"+1 (415) 2{digits[..2]}-{digits[2..]}";
                    phone = $"+14152{digits}";
                    break;
                case < 96:
                    // No phone: an e-mail only.
                    phoneCell = null;
                    phone = null;
                    break;
                default:
                    // Not a number at all.
                    phoneCell = "n/a " + digits[..3];
                    phone = null;
                    phoneInvalid = true;
                    break;
            }

            var badEmail = random.Next(100) < 2;
            var email = badEmail ? $"customer{person} at example.com" : $"Customer.{person}@Example.com";
            var first = "Ada" + person.ToString(CultureInfo.InvariantCulture);
            var last = random.Next(10) == 0 ? "\"Lovelace, Jr\"" : "Lovelace";
            text.Append(CultureInfo.InvariantCulture, $"{phoneCell},{email},{first},{last},{tiers[random.Next(3)]},{cities[random.Next(cities.Length)]}\r\n");
            export._customers.Add(new ExportCustomer(i, phone, badEmail ? null : email.ToLowerInvariant(), !badEmail, phoneInvalid));

            if (random.Next(100) < 3 && phone is not null)
            {
                // The same customer again, the number written the other way.
                var again = phone.StartsWith("+44", StringComparison.Ordinal) ? "0" + phone[3..] : phone;
                text.Append(CultureInfo.InvariantCulture, $"{again},{email},{first},{last},Gold,Leeds\r\n");
                export.Duplicates++;
            }

            if (random.Next(100) < 2)
            {
                text.Append(random.Next(2) == 0 ? "\r\n" : ",,,,,\r\n");
                export.BlankLines++;
            }
        }

        // A byte-order mark, as spreadsheet programs write it.
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        return export;
    }
}
