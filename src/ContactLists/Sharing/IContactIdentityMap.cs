namespace ContactLists.Sharing;

/// <summary>A provider contact id, and when a provider's answer last showed it.</summary>
/// <param name="ContactId">The provider's id of the contact.</param>
/// <param name="ConfirmedAt">When an answer of the provider (a create, a lookup, a page of members) last gave it.</param>
public readonly record struct KnownContact(string ContactId, DateTimeOffset ConfirmedAt);

/// <summary>
/// Remembers which provider contact an identity is, per account, for providers whose membership calls take their own
/// contact ids (SlickText, Messengeo): <c>tel:+447911123456</c> or <c>mailto:ada@example.com</c> → the contact's id.
/// Ids are learned from every answer that carries them (creates, lookups, pages of members, account reads), so that
/// a contact is looked up once, not at every bulk call. It holds no credential: accounts are named by
/// <see cref="ProviderAccount.Id"/>, a one-way fingerprint. The default, <see cref="InProcessContactIdentityMap"/>,
/// lives in the process (bounded); <c>ContactLists.Redis</c> shares one between the processes of an account. A map
/// is a cache, never the truth: an id the provider refuses as unknown is forgotten and the contact found again.
/// Register one for all accounts as a singleton <see cref="IContactIdentityMap"/>, or for one account as a keyed
/// singleton under the client's name.
/// </summary>
public interface IContactIdentityMap
{
    /// <summary>The known contacts of <paramref name="identities"/> (identities not known are absent).</summary>
    /// <param name="account">The account.</param>
    /// <param name="identities">Identities, such as <c>tel:+447911123456</c>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<IReadOnlyDictionary<string, KnownContact>> GetAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken);

    /// <summary>Records what answers showed.</summary>
    /// <param name="account">The account.</param>
    /// <param name="contacts">Identity → contact.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask SetAsync(ProviderAccount account, IReadOnlyCollection<KeyValuePair<string, KnownContact>> contacts, CancellationToken cancellationToken);

    /// <summary>Forgets identities whose contact the provider no longer knows (a deleted contact).</summary>
    /// <param name="account">The account.</param>
    /// <param name="identities">The identities.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    ValueTask RemoveAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken);
}

/// <summary>
/// The identity map in the process (the default: <c>AddContactLists</c> registers one per service container, shared by
/// every client of an account in it), bounded to
/// <see cref="Capacity"/> entries (the least recently used are forgotten first; about 270 bytes each, measured, so the
/// default of 100,000 is about 27 MB at most). A forgotten or never-seen identity is simply looked up again; a sync does
/// not need it (its plan keeps the ids of the members it updates or removes).
/// </summary>
public sealed class InProcessContactIdentityMap : IContactIdentityMap
{
    /// <summary>The default <see cref="Capacity"/>: 100,000 identities, over all accounts.</summary>
    public const int DefaultCapacity = 100_000;

    private readonly object _gate = new();
    private readonly Dictionary<(string Account, string Identity), LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _recent = new();

    /// <summary>Creates a map that holds at most <paramref name="capacity"/> identities.</summary>
    /// <param name="capacity">The most identities held, over all accounts.</param>
    public InProcessContactIdentityMap(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
    }

    /// <summary>The most identities held, over all accounts.</summary>
    public int Capacity { get; }

    /// <summary>How many identities are held.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, KnownContact>> GetAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(identities);
        var found = new Dictionary<string, KnownContact>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var identity in identities)
            {
                if (_entries.TryGetValue((account.Id, identity), out var node))
                {
                    found[identity] = node.Value.Contact;
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                }
            }
        }

        return ValueTask.FromResult<IReadOnlyDictionary<string, KnownContact>>(found);
    }

    /// <inheritdoc/>
    public ValueTask SetAsync(ProviderAccount account, IReadOnlyCollection<KeyValuePair<string, KnownContact>> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(contacts);
        lock (_gate)
        {
            foreach (var (identity, contact) in contacts)
            {
                var key = (account.Id, identity);
                if (_entries.TryGetValue(key, out var node))
                {
                    node.Value = new Entry(key, contact);
                    _recent.Remove(node);
                    _recent.AddFirst(node);
                    continue;
                }

                _entries[key] = _recent.AddFirst(new Entry(key, contact));
                if (_entries.Count > Capacity)
                {
                    _entries.Remove(_recent.Last!.Value.Key);
                    _recent.RemoveLast();
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask RemoveAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(identities);
        lock (_gate)
        {
            foreach (var identity in identities)
            {
                if (_entries.Remove((account.Id, identity), out var node))
                {
                    _recent.Remove(node);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    private sealed record Entry((string Account, string Identity) Key, KnownContact Contact);
}
