using ContactLists.Emulator;

namespace ContactLists.Cli;

/// <summary>Finds the list a command targets: by id, or by name (an existing list of that name, never a second one).</summary>
internal static class ListResolver
{
    /// <summary>What a name resolved to: an existing list's id, or a list to create.</summary>
    public sealed record Target(string? Id, string? NameToCreate)
    {
        public bool Exists => Id is not null;
    }

    /// <summary>
    /// Resolves <paramref name="listName"/>: the one list of that name; a list to create when there is none (where the
    /// provider can create lists). More than one of that name, or a provider that cannot create lists, is a usage error.
    /// </summary>
    public static async Task<Target> ByNameAsync(IContactListClient client, string listName, ContactListsEmulator? emulator, CancellationToken cancellationToken)
    {
        var name = listName.Trim();
        if (client.ProviderName == "Octopush")
        {
            // Octopush lists are addressed by name: the name is the id, and Octopush has no call to read lists.
            return new Target(name, null);
        }

        if (client.Capabilities.HasFlag(ContactListCapabilities.ListLists))
        {
            var matches = new List<ContactList>();
            await foreach (var list in client.GetListsAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Same(list.Name, name) && list.Status != ContactListStatus.Deleted)
                {
                    matches.Add(list);
                }
            }

            return matches.Count switch
            {
                1 => new Target(matches[0].Id, null),
                > 1 => throw new CliUsageException($"{matches.Count} {client.ProviderName} lists are named '{name}' (ids {string.Join(", ", matches.Select(m => m.Id))}): say which with --list ID."),
                _ when client.Capabilities.HasFlag(ContactListCapabilities.CreateList) => new Target(null, name),
                _ => throw new CliUsageException($"No {client.ProviderName} list is named '{name}', and {client.ProviderName} lists cannot be created through its API."),
            };
        }

        if (client.ProviderName == "Movio" && emulator is not null)
        {
            // Movio lists are made in its app; the in-process emulator stands in for the app.
            return new Target(emulator.Movio.State.CreateList(name), null);
        }

        throw new CliUsageException($"{client.ProviderName} lists are made in {client.ProviderName}'s own app (Movio EQ: Contacts → Contact lists) and cannot be found by name through its API: create '{name}' there, then pass --list with its id.");
    }

    // Whippy trims and collapses spaces in names: compare as the provider stores them.
    private static bool Same(string? stored, string name)
        => string.Equals(string.Join(' ', (stored ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries)), string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries)), StringComparison.Ordinal);
}
