namespace ContactLists;

/// <summary>Finding a list by its name, as each provider allows.</summary>
public static class ContactListNames
{
    /// <summary>
    /// The list named <paramref name="name"/> (compared as the provider stores names: Whippy collapses spaces): the one
    /// list of that name; <see langword="null"/> when there is none (create it where the provider can). Where lists are
    /// addressed by name (Octopush), the list of that name whether it holds contacts yet or not. A list deleted softly
    /// (Whippy) is not found.
    /// </summary>
    /// <param name="client">The account's client.</param>
    /// <param name="name">The name.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <exception cref="ContactListValidationException">Several lists have that name: choose one by its id.</exception>
    /// <exception cref="ContactListOperationNotSupportedException">The provider cannot find lists by name (Movio: find the list's id in its app).</exception>
    public static async Task<ContactList?> FindListByNameAsync(this IContactListClient client, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var wanted = Spaced(name);
        if (client is Adapters.ContactListClientBase { ListsAddressedByName: true })
        {
            // The name is the list's id: the list is addressed by it, and created by the provider on the first add.
            return new ContactList { Id = wanted, Name = wanted, Status = ContactListStatus.Active };
        }

        if (!client.Capabilities.HasFlag(ContactListCapabilities.ListLists))
        {
            throw new ContactListOperationNotSupportedException(client.ProviderName, "FindListByName",
                $"{client.ProviderName} lists cannot be found by name through its API: find the list's id in {client.ProviderName}'s own app.");
        }

        var matches = new List<ContactList>();
        await foreach (var list in client.GetListsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (list.Status != ContactListStatus.Deleted && string.Equals(Spaced(list.Name ?? string.Empty), wanted, StringComparison.Ordinal))
            {
                matches.Add(list);
            }
        }

        return matches.Count switch
        {
            0 => null,
            1 => matches[0],
            _ => throw new ContactListValidationException($"{matches.Count} {client.ProviderName} lists are named '{wanted}' (ids {string.Join(", ", matches.Select(m => m.Id))}): choose one by its id.", nameof(name)),
        };
    }

    // Whippy trims and collapses spaces in names: names are compared as the provider stores them.
    private static string Spaced(string name) => string.Join(' ', name.Split(' ', StringSplitOptions.RemoveEmptyEntries));
}
