using System.Globalization;
using System.Text;

namespace ContactLists.Cli;

/// <summary>The rows left out of a sync, written as CSV with their reasons (<c>--rejects</c>).</summary>
internal static class RejectsFile
{
    /// <summary>Writes every row left out: its file row (empty for a list member that was not removed), the reason, and the contact as given.</summary>
    public static void Write(string path, SyncResult result, IReadOnlyList<long> rowOfIndex)
    {
        var text = new StringBuilder("Row,Category,Reason,Phone,Email,First Name,Last Name\r\n");
        foreach (var left in result.LeftOut.OrderBy(l => l.Index < 0 ? long.MaxValue : l.Index))
        {
            var row = left.Index >= 0 && left.Index < rowOfIndex.Count ? rowOfIndex[(int)left.Index].ToString(CultureInfo.InvariantCulture) : string.Empty;
            text.AppendJoin(',', new[] { row, left.Category, left.Reason, left.Contact.Phone, left.Contact.Email, left.Contact.FirstName, left.Contact.LastName }.Select(Quote)).Append("\r\n");
        }

        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text.ToString(), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>A CSV field: quoted when it holds a comma, a quote or a line break.</summary>
    public static string Quote(string? value)
        => value is null ? string.Empty
            : value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
}
