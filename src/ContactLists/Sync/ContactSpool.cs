using System.Text;

namespace ContactLists;

/// <summary>
/// The source contacts a plan will send, set aside as compact records while the source is read, so that a plan of a
/// million rows holds its decisions in memory, not a million <see cref="Contact"/> objects. Kept in memory while small;
/// past <see cref="MemoryLimit"/> moved to a temporary file that only its owner can read and that no other process can
/// open (removed from the folder as soon as it is created where the system allows it, and deleted when closed
/// elsewhere): it holds personal data, and nothing of it outlives the process.
/// </summary>
internal sealed class ContactSpool : IDisposable
{
    /// <summary>The size a spool keeps in memory before it moves to a file.</summary>
    public const int MemoryLimit = 8 * 1024 * 1024;

    private Stream _stream = new MemoryStream();
    private BinaryWriter _writer;
    private bool _disposed;

    public ContactSpool() => _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    /// <summary>How many contacts were set aside.</summary>
    public long Count { get; private set; }

    /// <summary>Sets a contact aside, with its identity key and its position in the source.</summary>
    public void Append(string key, long sourceIndex, Contact contact)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Seek(0, SeekOrigin.End);
        _writer.Write(key);
        _writer.Write(sourceIndex);
        ContactRecords.Write(_writer, contact);

        Count++;
        if (_stream is MemoryStream memory && memory.Length > MemoryLimit)
        {
            MoveToFile(memory);
        }
    }

    /// <summary>Every contact set aside, in the order they were, read back from the start (once per call).</summary>
    public IEnumerable<SpooledContact> Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
        var end = _stream.Length;
        var position = 0L;
        var reader = new BinaryReader(_stream, Encoding.UTF8, leaveOpen: true);
        while (position < end)
        {
            // Reads may interleave with another reader of the same spool: each record is read from where this one left.
            _stream.Position = position;
            var key = reader.ReadString();
            var index = reader.ReadInt64();
            var contact = ContactRecords.Read(reader);
            position = _stream.Position;
            yield return new SpooledContact(key, index, contact);
        }
    }

    private void MoveToFile(MemoryStream memory)
    {
        var path = Path.Combine(Path.GetTempPath(), "contactlists-plan-" + Guid.NewGuid().ToString("N") + ".tmp");
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.ReadWrite,
            Share = FileShare.None,
            BufferSize = 1 << 16,
            Options = OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None,
        };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        var file = new FileStream(path, options);
        if (!OperatingSystem.IsWindows())
        {
            // The open handle keeps the data; the name is gone, so nothing is left behind even if the process is killed.
            File.Delete(path);
        }

        _writer.Flush();
        memory.Position = 0;
        memory.CopyTo(file);
        _writer.Dispose();
        memory.Dispose();
        _stream = file;
        _writer = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer.Dispose();
        _stream.Dispose();
    }
}

/// <summary>A contact a plan set aside: its identity key, its position in the source, and the contact as the source gave it.</summary>
internal readonly record struct SpooledContact(string Key, long SourceIndex, Contact Contact);

/// <summary>A contact as a compact binary record (what a spool or a list of rejects keeps instead of the object).</summary>
internal static class ContactRecords
{
    public static void Write(BinaryWriter writer, Contact contact)
    {
        WriteNullable(writer, contact.Id);
        WriteNullable(writer, contact.Phone);
        WriteNullable(writer, contact.Email);
        WriteNullable(writer, contact.FirstName);
        WriteNullable(writer, contact.LastName);
        WriteNullable(writer, contact.ExternalId);
        writer.Write(contact.Attributes.Count);
        foreach (var (name, value) in contact.Attributes)
        {
            writer.Write(name);
            WriteNullable(writer, value);
        }
    }

    public static Contact Read(BinaryReader reader) => new()
    {
        Id = ReadNullable(reader),
        Phone = ReadNullable(reader),
        Email = ReadNullable(reader),
        FirstName = ReadNullable(reader),
        LastName = ReadNullable(reader),
        ExternalId = ReadNullable(reader),
        Attributes = ReadAttributes(reader),
    };

    public static void WriteNullable(BinaryWriter writer, string? value)
    {
        writer.Write(value is not null);
        if (value is not null)
        {
            writer.Write(value);
        }
    }

    public static string? ReadNullable(BinaryReader reader) => reader.ReadBoolean() ? reader.ReadString() : null;

    private static Dictionary<string, string> ReadAttributes(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var attributes = new Dictionary<string, string>(count, StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var name = reader.ReadString();
            attributes[name] = ReadNullable(reader) ?? string.Empty;
        }

        return attributes;
    }
}
