using System.Buffers;
using System.IO.Hashing;
using System.Text;
using ContactLists.Identity;

namespace ContactLists;

/// <summary>
/// The fields a sync compares: a contact as sent (checked, its attributes placed on the provider's fields) or a member
/// as read back, as name/value pairs normalized alike (a phone in E.164, a lower-case e-mail, trimmed text), of the
/// fields it sets. Their fingerprint is what the ledger keeps, to tell whether a contact's fields changed since the
/// last sync; a member read back is compared on the fields the source sets only (a field the source leaves empty is
/// never cleared, so it is not compared).
/// </summary>
internal static class SyncFields
{
    /// <summary>Adds the fields <paramref name="contact"/> sets to <paramref name="into"/>.</summary>
    public static void Collect(Contact contact, List<KeyValuePair<string, string>> into)
    {
        if (!string.IsNullOrWhiteSpace(contact.Phone))
        {
            into.Add(new(nameof(Contact.Phone), IdentityKeys.Describe(IdentityKeys.ForPhone(contact.Phone))));
        }

        if (!string.IsNullOrWhiteSpace(contact.Email))
        {
            into.Add(new(nameof(Contact.Email), contact.Email.Trim().ToLowerInvariant()));
        }

        Add(into, nameof(Contact.FirstName), contact.FirstName);
        Add(into, nameof(Contact.LastName), contact.LastName);
        Add(into, nameof(Contact.ExternalId), contact.ExternalId);
        foreach (var (key, value) in contact.Attributes)
        {
            Add(into, "Attributes[" + key + "]", value);
        }
    }

    /// <summary>Adds one field when it has a value.</summary>
    public static void Add(List<KeyValuePair<string, string>> into, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            into.Add(new(name, value.Trim()));
        }
    }

    /// <summary>
    /// A stable 64-bit fingerprint of fields (the same in every process and on every machine: XXH3 of the sorted pairs
    /// as UTF-8); <paramref name="fields"/> is sorted in place.
    /// </summary>
    public static long Fingerprint(List<KeyValuePair<string, string>> fields)
    {
        fields.Sort(static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var length = 0;
        foreach (var (name, value) in fields)
        {
            length += Encoding.UTF8.GetMaxByteCount(name.Length + value.Length) + 2;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        try
        {
            var written = 0;
            foreach (var (name, value) in fields)
            {
                written += Encoding.UTF8.GetBytes(name, buffer.AsSpan(written));
                buffer[written++] = 0x1F;
                written += Encoding.UTF8.GetBytes(value, buffer.AsSpan(written));
                buffer[written++] = 0x1E;
            }

            return unchecked((long)XxHash3.HashToUInt64(buffer.AsSpan(0, written)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// The field names one plan has met, numbered (up to 64) so that each source contact can say in one <see cref="ulong"/>
/// which fields it sets: the mask a member read back is compared on.
/// </summary>
internal sealed class FieldTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    /// <summary>Whether more than 64 distinct fields were met: masks are then incomplete, and members are compared whole.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>The mask of the fields named in <paramref name="fields"/>, numbering new names.</summary>
    public ulong MaskOf(List<KeyValuePair<string, string>> fields)
    {
        ulong mask = 0;
        foreach (var (name, _) in fields)
        {
            if (!_ids.TryGetValue(name, out var id))
            {
                id = _ids.Count;
                if (id >= 64)
                {
                    Overflowed = true;
                    continue;
                }

                _ids[name] = id;
            }

            mask |= 1UL << id;
        }

        return mask;
    }

    /// <summary>Keeps, of <paramref name="fields"/>, those in <paramref name="mask"/>.</summary>
    public void Keep(List<KeyValuePair<string, string>> fields, ulong mask)
        => fields.RemoveAll(f => !_ids.TryGetValue(f.Key, out var id) || (mask & (1UL << id)) == 0);
}
