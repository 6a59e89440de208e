using System.Collections;
using System.Text;

namespace ContactLists;

/// <summary>
/// The source rows a plan leaves out, kept as compact binary records rather than objects (a messy export of a million
/// rows leaves tens of thousands out, and a <see cref="RejectedContact"/> with its <see cref="Contact"/> costs several
/// times its text): each is read back as a new <see cref="RejectedContact"/> when asked for. Written while the source
/// is read, then only read; reads may come from several threads.
/// </summary>
// A stream over memory holds nothing to release: the list lives as long as its plan, and the collector frees it.
#pragma warning disable CA1001
internal sealed class CompactRejects : IReadOnlyList<RejectedContact>
#pragma warning restore CA1001
{
    private readonly MemoryStream _records = new();
    private readonly BinaryWriter _writer;
    private readonly List<int> _starts = [];
    private readonly object _reading = new();
    private readonly Dictionary<string, long> _categories = new(StringComparer.Ordinal);

    public CompactRejects() => _writer = new BinaryWriter(_records, Encoding.UTF8, leaveOpen: true);

    public int Count => _starts.Count;

    /// <summary>The rows counted by <see cref="RejectedContact.Category"/>, without reading them back.</summary>
    public IReadOnlyDictionary<string, long> Categories => _categories;

    public RejectedContact this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
            lock (_reading)
            {
                _writer.Flush();
                _records.Position = _starts[index];
                using var reader = new BinaryReader(_records, Encoding.UTF8, leaveOpen: true);
                var position = reader.ReadInt64();
                var field = ContactRecords.ReadNullable(reader);
                var reason = reader.ReadString();
                var byProvider = reader.ReadBoolean();
                return new RejectedContact(position, ContactRecords.Read(reader), field, reason, byProvider);
            }
        }
    }

    /// <summary>Keeps <paramref name="rejected"/> (its <see cref="RejectedContact.DuplicateOf"/> is not kept: a plan's duplicates are counted, not listed).</summary>
    public void Add(RejectedContact rejected)
    {
        _records.Seek(0, SeekOrigin.End);
        _starts.Add(checked((int)_records.Position));
        _writer.Write(rejected.Index);
        ContactRecords.WriteNullable(_writer, rejected.Field);
        _writer.Write(rejected.Reason);
        _writer.Write(rejected.ByProvider);
        ContactRecords.Write(_writer, rejected.Contact);
        _categories[rejected.Category] = _categories.GetValueOrDefault(rejected.Category) + 1;
    }

    public IEnumerator<RejectedContact> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
