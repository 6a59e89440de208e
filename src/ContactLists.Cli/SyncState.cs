using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactLists.Cli;

/// <summary>
/// What an interrupted sync had done, saved beside the file after every answered batch so that the same command
/// resumes it: the source file's fingerprint, the account and list, and the sync's checkpoint (the identities whose
/// batch was answered, and whether a replace had started). Written atomically (a temporary file, then a rename), so
/// that a process killed at any moment leaves the previous state or the new one, never half of one.
/// </summary>
internal sealed class SyncState
{
    /// <summary>The state's format.</summary>
    public int Version { get; set; } = 1;

    /// <summary>The source file, as given.</summary>
    public string File { get; set; } = string.Empty;

    /// <summary>SHA-256 of the file's bytes: a changed file is re-planned, not resumed.</summary>
    public string Fingerprint { get; set; } = string.Empty;

    /// <summary>The account.</summary>
    public string Account { get; set; } = string.Empty;

    /// <summary>The list synced into.</summary>
    public string ListId { get; set; } = string.Empty;

    /// <summary>When the interrupted run started.</summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>When the state was last written.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>What the sync had answered.</summary>
    public SyncCheckpoint Checkpoint { get; set; } = new();

    /// <summary>The default state path: beside the file, named after it, the account and the list.</summary>
    public static string DefaultPath(string file, string account, string list)
    {
        var safe = string.Concat(list.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_'));
        return Path.Combine(Path.GetDirectoryName(file)!, $"{Path.GetFileName(file)}.{account}.{safe}.contactlists-state.json");
    }

    /// <summary>SHA-256 of a file's bytes, as hex.</summary>
    public static async Task<string> FingerprintAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = System.IO.File.OpenRead(file);
        return Convert.ToHexString(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The state saved at <paramref name="path"/>, or <see langword="null"/> when there is none (or it cannot be read: it is then ignored).</summary>
    public static SyncState? Read(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(System.IO.File.ReadAllText(path), StateJson.Default.SyncState);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the state to <paramref name="path"/> atomically.</summary>
    public void Write(string path, TimeProvider clock)
    {
        UpdatedAt = clock.GetUtcNow();
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, this, StateJson.Default.SyncState);
            // On disk before the rename, so that a crash after the rename cannot leave an empty file.
            stream.Flush(flushToDisk: true);
        }

        System.IO.File.Move(temporary, path, overwrite: true);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SyncState))]
internal sealed partial class StateJson : JsonSerializerContext;
