using System.Runtime.CompilerServices;
using Sylvan.Data.Csv;

namespace ContactLists;

/// <summary>
/// Reads contacts from a CSV export, as a stream (a sync source). The first row names the columns; they are matched to
/// the <see cref="Contact"/> fields after normalising case, spaces and punctuation (<c>Mobile Number</c>,
/// <c>mobile_number</c> and <c>MOBILE-NUMBER</c> are one column), with the usual aliases (<c>phone</c>, <c>mobile</c>,
/// <c>E-mail</c>, <c>First Name</c>, <c>surname</c>, <c>customer_id</c>…); every other column becomes an attribute
/// under its header as written. The delimiter (<c>,</c> <c>;</c> tab <c>|</c>) is detected, quoted values may hold
/// delimiters and line breaks, a byte-order mark is ignored, values are trimmed, and blank lines are skipped (they are
/// not contacts).
/// </summary>
public static class ContactCsv
{
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["phone"] = nameof(Contact.Phone), ["phonenumber"] = nameof(Contact.Phone), ["mobile"] = nameof(Contact.Phone),
        ["mobilenumber"] = nameof(Contact.Phone), ["mobilephone"] = nameof(Contact.Phone), ["cell"] = nameof(Contact.Phone),
        ["cellphone"] = nameof(Contact.Phone), ["msisdn"] = nameof(Contact.Phone), ["tel"] = nameof(Contact.Phone), ["telephone"] = nameof(Contact.Phone),
        ["email"] = nameof(Contact.Email), ["emailaddress"] = nameof(Contact.Email), ["mail"] = nameof(Contact.Email),
        ["firstname"] = nameof(Contact.FirstName), ["givenname"] = nameof(Contact.FirstName), ["forename"] = nameof(Contact.FirstName),
        ["lastname"] = nameof(Contact.LastName), ["surname"] = nameof(Contact.LastName), ["familyname"] = nameof(Contact.LastName),
        ["externalid"] = nameof(Contact.ExternalId), ["customerid"] = nameof(Contact.ExternalId), ["customernumber"] = nameof(Contact.ExternalId),
        ["id"] = nameof(Contact.Id), ["contactid"] = nameof(Contact.Id),
    };

    /// <summary>The <see cref="Contact"/> fields a column can be read into.</summary>
    public static IReadOnlyList<string> Fields { get; } =
        [nameof(Contact.Phone), nameof(Contact.Email), nameof(Contact.FirstName), nameof(Contact.LastName), nameof(Contact.ExternalId), nameof(Contact.Id)];

    /// <summary>A header reduced to lower-case letters and digits: <c>E-mail</c> → <c>email</c>, <c>Mobile Number</c> → <c>mobilenumber</c>.</summary>
    /// <param name="header">The header as written.</param>
    public static string Normalize(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return string.Concat(header.Where(char.IsLetterOrDigit)).ToLowerInvariant();
    }

    /// <summary>The <see cref="Contact"/> field a header is read into (<c>Phone</c>, <c>Email</c>…), or <see langword="null"/> for an attribute.</summary>
    /// <param name="header">The header as written.</param>
    /// <param name="columns">Columns named by the caller (header → field), which win over the aliases.</param>
    public static string? FieldOf(string header, IReadOnlyDictionary<string, string>? columns = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        var clean = Clean(header);
        if (columns is not null && columns.FirstOrDefault(c => Normalize(c.Key) == Normalize(clean)) is { Key: not null } named)
        {
            return Fields.FirstOrDefault(f => string.Equals(f, named.Value, StringComparison.OrdinalIgnoreCase));
        }

        return Aliases.GetValueOrDefault(Normalize(clean));
    }

    /// <summary>Reads a file's header row and what each column is read into, to check a file before syncing it.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Columns named by the caller (header → <see cref="Contact"/> field).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<ContactCsvColumns> ReadColumnsAsync(string path, IReadOnlyDictionary<string, string>? columns = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var csv = await CsvDataReader.CreateAsync(path, ReaderOptions, cancellationToken).ConfigureAwait(false);
        var headers = Enumerable.Range(0, csv.FieldCount).Select(i => Clean(csv.GetName(i))).ToArray();
        return new ContactCsvColumns(headers, headers.Select(h => FieldOf(h, columns)).ToArray());
    }

    /// <summary>Streams the contacts of a CSV file with a header row.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Columns named by the caller (header → <see cref="Contact"/> field), over the aliases.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async IAsyncEnumerable<Contact> ReadAsync(string path, IReadOnlyDictionary<string, string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var row in ReadRowsAsync(path, columns, cancellationToken).ConfigureAwait(false))
        {
            yield return row.Contact;
        }
    }

    /// <summary>
    /// As <see cref="ReadAsync(string, IReadOnlyDictionary{string, string}?, CancellationToken)"/>, with each contact's
    /// row: the header is row 1, the first record row 2, as a spreadsheet numbers them (a quoted line break does not
    /// start a row). To say which rows of the file were left out.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="columns">Columns named by the caller (header → <see cref="Contact"/> field), over the aliases.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async IAsyncEnumerable<ContactCsvRow> ReadRowsAsync(string path, IReadOnlyDictionary<string, string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        await using var csv = await CsvDataReader.CreateAsync(path, ReaderOptions, cancellationToken).ConfigureAwait(false);
        await foreach (var row in ReadRowsAsync(csv, columns, cancellationToken).ConfigureAwait(false))
        {
            yield return row;
        }
    }

    /// <summary>Streams the contacts of CSV text with a header row.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="columns">Columns named by the caller (header → <see cref="Contact"/> field), over the aliases.</param>
    /// <param name="cancellationToken">Stops the reading.</param>
    public static async IAsyncEnumerable<Contact> ReadAsync(TextReader reader, IReadOnlyDictionary<string, string>? columns = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await using var csv = await CsvDataReader.CreateAsync(reader, ReaderOptions, cancellationToken).ConfigureAwait(false);
        await foreach (var row in ReadRowsAsync(csv, columns, cancellationToken).ConfigureAwait(false))
        {
            yield return row.Contact;
        }
    }

    // Blank lines are skipped by the reader; a row of empty values is skipped below.
    private static readonly CsvDataReaderOptions ReaderOptions = new() { HasHeaders = true };

    private static async IAsyncEnumerable<ContactCsvRow> ReadRowsAsync(CsvDataReader csv, IReadOnlyDictionary<string, string>? columns, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var headers = Enumerable.Range(0, csv.FieldCount).Select(i => Clean(csv.GetName(i))).ToArray();
        var fields = headers.Select(h => FieldOf(h, columns)).ToArray();
        long row = 1;
        while (await csv.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            row++;
            var contact = new Contact();
            Dictionary<string, string>? attributes = null;
            for (var i = 0; i < headers.Length && i < csv.FieldCount; i++)
            {
                var value = csv.GetString(i).Trim();
                if (value.Length == 0)
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
                    nameof(Contact.Id) => contact with { Id = value },
                    _ => contact,
                };
                if (fields[i] is null)
                {
                    (attributes ??= new Dictionary<string, string>(StringComparer.Ordinal))[headers[i]] = value;
                }
            }

            contact = attributes is null ? contact : contact with { Attributes = attributes };
            if (!contact.IsBlank)
            {
                yield return new ContactCsvRow(row, contact);
            }
        }
    }

    // A byte-order mark that the reader left on the first header, and surrounding spaces, are not part of the name.
    private static string Clean(string header) => header.Trim().TrimStart('\uFEFF').Trim();

    /// <summary>
    /// Writes the rows a sync left out, one per line with its reason: <c>Row,Category,Reason,Phone,Email,First Name,Last Name</c>
    /// (the row as <paramref name="rowOf"/> numbers the source position; empty for a member that was not removed),
    /// in source order, for a person to fix and sync again.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="leftOut">What was left out (<see cref="SyncResult.LeftOut"/>).</param>
    /// <param name="rowOf">The file row of a source position (from <see cref="ReadRowsAsync(string, IReadOnlyDictionary{string, string}?, CancellationToken)"/>), or <see langword="null"/> to write positions.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static async Task WriteLeftOutAsync(TextWriter writer, IEnumerable<RejectedContact> leftOut, Func<long, long?>? rowOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(leftOut);
        await writer.WriteAsync("Row,Category,Reason,Phone,Email,First Name,Last Name\r\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var left in leftOut.OrderBy(l => l.Index < 0 ? long.MaxValue : l.Index))
        {
            var row = left.Index < 0 ? null : rowOf is null ? left.Index : rowOf(left.Index);
            await WriteLineAsync(writer, [row?.ToString(System.Globalization.CultureInfo.InvariantCulture), left.Category, left.Reason, left.Contact.Phone, left.Contact.Email, left.Contact.FirstName, left.Contact.LastName], cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Writes contacts as CSV, read back as <see cref="ReadAsync(string, IReadOnlyDictionary{string, string}?, CancellationToken)"/>
    /// reads it: <c>Id,Phone,Email,First Name,Last Name,External Id</c>, a column per attribute named in
    /// <paramref name="attributeColumns"/>, and the other attributes (<c>key=value; …</c>) in a last column. Returns how
    /// many contacts were written.
    /// </summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="contacts">The contacts, streamed.</param>
    /// <param name="attributeColumns">Attributes that get a column of their own, such as a provider's custom fields.</param>
    /// <param name="cancellationToken">Cancels the writing.</param>
    public static async Task<long> WriteAsync(TextWriter writer, IAsyncEnumerable<Contact> contacts, IReadOnlyList<string>? attributeColumns = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(contacts);
        var own = attributeColumns ?? [];
        await WriteLineAsync(writer, [.. ExportColumns, .. own, "Other attributes"], cancellationToken).ConfigureAwait(false);
        long count = 0;
        await foreach (var contact in contacts.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var other = string.Join("; ", contact.Attributes.Where(a => !own.Contains(a.Key, StringComparer.Ordinal)).Select(a => a.Key + "=" + a.Value));
            await WriteLineAsync(writer, [contact.Id, contact.Phone, contact.Email, contact.FirstName, contact.LastName, contact.ExternalId, .. own.Select(c => contact.Attributes.GetValueOrDefault(c)), other], cancellationToken).ConfigureAwait(false);
            count++;
        }

        return count;
    }

    private static readonly string[] ExportColumns = ["Id", "Phone", "Email", "First Name", "Last Name", "External Id"];

    private static Task WriteLineAsync(TextWriter writer, IEnumerable<string?> cells, CancellationToken cancellationToken)
        => writer.WriteAsync((string.Join(',', cells.Select(Quote)) + "\r\n").AsMemory(), cancellationToken);

    /// <summary>A CSV field: quoted when it holds a comma, a quote or a line break.</summary>
    private static string Quote(string? value)
        => value is null ? string.Empty
            : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}

/// <summary>A CSV file's columns and what each is read into (<see cref="ContactCsv.ReadColumnsAsync"/>).</summary>
/// <param name="Headers">The headers, as written.</param>
/// <param name="Fields">The <see cref="Contact"/> field of each, or <see langword="null"/> for an attribute.</param>
public sealed record ContactCsvColumns(IReadOnlyList<string> Headers, IReadOnlyList<string?> Fields)
{
    /// <summary>Whether a column carries phone numbers.</summary>
    public bool HasPhone => Fields.Contains(nameof(Contact.Phone));

    /// <summary>Whether a column carries e-mail addresses.</summary>
    public bool HasEmail => Fields.Contains(nameof(Contact.Email));

    /// <summary>The headers read as attributes.</summary>
    public IEnumerable<string> Attributes => Headers.Where((_, i) => Fields[i] is null);
}

/// <summary>A contact read from a CSV file, with its row (the header is row 1).</summary>
/// <param name="Row">The row, as a spreadsheet numbers it.</param>
/// <param name="Contact">The contact.</param>
public sealed record ContactCsvRow(long Row, Contact Contact);
