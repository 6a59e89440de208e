using System.Globalization;

namespace ContactLists.Providers.Messengeo;

/// <summary>Follows a Messengeo file import by reading the list's import fields until <c>importStatus</c> is <c>ok</c>.</summary>
internal sealed class MessengeoListImport(string listId, MessengeoContactListClient client, MessengeoOptions options, TimeProvider timeProvider) : ContactListImport
{
    public override string ListId => listId;

    public override ContactListImportState State => _state;

    public override int? PercentComplete => _percent;

    public override long? LinesRead => _lines;

    public override long? InvalidLines => _invalid;

    public override Uri? ErrorReport => _errors;

    private ContactListImportState _state = ContactListImportState.Running;
    private int? _percent;
    private long? _lines;
    private long? _invalid;
    private Uri? _errors;

    public override async Task UpdateStatusAsync(CancellationToken cancellationToken = default)
        => Apply(await client.ReadOneAsync(listId, MessengeoContactListClient.ImportPropertiesToRead, cancellationToken).ConfigureAwait(false));

    public override async Task WaitForCompletionAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = timeProvider.GetUtcNow() + (timeout ?? options.ImportTimeout);
        while (_state == ContactListImportState.Running)
        {
            if (timeProvider.GetUtcNow() >= deadline)
            {
                throw new TimeoutException($"Messengeo's import into list {listId} was not done after {timeout ?? options.ImportTimeout} (last status: {(_percent is { } p ? p + "%" : "running")}).");
            }

            await Task.Delay(options.ImportPollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            await UpdateStatusAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    internal void Apply(MessengeoList list)
    {
        _lines = list.ImportLines ?? _lines;
        _invalid = list.ImportInvalid ?? _invalid;
        _errors = Uri.TryCreate(list.ImportErrors, UriKind.Absolute, out var errors) ? errors : _errors;
        switch (list.ImportStatus)
        {
            case "ok":
                _state = ContactListImportState.Completed;
                _percent = 100;
                break;
            case "on" or null:
                _state = ContactListImportState.Running;
                break;
            case var text when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var percent):
                _state = ContactListImportState.Running;
                _percent = percent;
                break;
            default:
                // Any other status (an error word, say) ends the wait rather than polling until the timeout.
                _state = ContactListImportState.Failed;
                break;
        }
    }
}
