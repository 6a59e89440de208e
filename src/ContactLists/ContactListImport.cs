namespace ContactLists;

/// <summary>A file of contacts for <see cref="IContactListClient.ImportFileAsync"/>.</summary>
public sealed class ContactListFile
{
    /// <summary>Creates a file description.</summary>
    /// <param name="content">The file's bytes; read once, not disposed by the SDK.</param>
    /// <param name="fileName">The file's name, whose extension says its type (<c>.csv</c>, <c>.xls</c>, <c>.xlsx</c>, <c>.zip</c>).</param>
    public ContactListFile(Stream content, string fileName)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(fileName);
        Content = content;
        FileName = fileName;
    }

    /// <summary>The file's bytes.</summary>
    public Stream Content { get; }

    /// <summary>The file's name.</summary>
    public string FileName { get; }

    /// <summary>The file's length in bytes, when the stream can tell (checked against the provider's limit before upload).</summary>
    public long? Length => Content.CanSeek ? Content.Length - Content.Position : null;

    /// <summary>The file's extension in lower case, such as <c>.csv</c>.</summary>
    public string Extension => Path.GetExtension(FileName).ToLowerInvariant();

    /// <summary>Whether the first line names the columns rather than holding a contact.</summary>
    public bool HasHeaderRow { get; init; } = true;
}

/// <summary>The state of a file import.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ContactListImportState>))]
public enum ContactListImportState
{
    /// <summary>The provider is still importing.</summary>
    Running,

    /// <summary>The import finished.</summary>
    Completed,

    /// <summary>The import failed.</summary>
    Failed,
}

/// <summary>A handle on a provider-side file import, in the manner of a long-running operation.</summary>
public abstract class ContactListImport
{
    /// <summary>The list the file is imported into.</summary>
    public abstract string ListId { get; }

    /// <summary>Where the provider lists the rejected lines and why, when it says.</summary>
    public abstract Uri? ErrorReport { get; }

    /// <summary>The state last read from the provider.</summary>
    public abstract ContactListImportState State { get; }

    /// <summary>The percentage done, when the provider reports it.</summary>
    public abstract int? PercentComplete { get; }

    /// <summary>Lines read so far, when the provider reports it.</summary>
    public abstract long? LinesRead { get; }

    /// <summary>Lines the provider refused, when it reports them.</summary>
    public abstract long? InvalidLines { get; }

    /// <summary>Reads the import's state from the provider once.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public abstract Task UpdateStatusAsync(CancellationToken cancellationToken = default);

    /// <summary>Polls until the import has completed or failed.</summary>
    /// <param name="timeout">How long to wait at most; <see langword="null"/> for the client's default.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="TimeoutException">The import did not finish in time.</exception>
    public abstract Task WaitForCompletionAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default);
}
