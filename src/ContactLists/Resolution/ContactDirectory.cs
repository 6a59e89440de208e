using ContactLists.Identity;
using ContactLists.Sharing;

namespace ContactLists.Resolution;

/// <summary>
/// Resolves contacts to a provider's contact ids at the cost of the data, not one lookup per contact (SlickText,
/// Messengeo). What answers showed is kept in the account's <see cref="IContactIdentityMap"/>; a bulk call
/// (<see cref="BeginCall"/>, a <see cref="ResolutionCall"/>) then plans its reads once: a list's members are read (page by page, the largest pages the
/// provider allows) when removing or replacing, the account's contacts when the input is large against what lookups
/// would cost, and only what is still unknown is looked up (one request per contact at most, or many per request where
/// the provider can), then created when adding. An id the provider no longer knows is forgotten and resolved again;
/// a contact whose phone and e-mail are two different provider contacts is refused, never guessed.
/// </summary>
internal sealed class ContactDirectory(string providerName, ProviderAccount account, IContactIdentityMap map, IContactSource source, TimeProvider clock, TimeSpan verifyAfter)
{
    /// <summary>How much cheaper than lookups reading the account's pages must promise to be: a quarter of their cost, at most.</summary>
    internal const int ScanShare = 4;

    /// <summary>Below this many lookups, pages are never read: a page of a large account would cost more than it saves.</summary>
    internal const int FewestLookupsWorthAPage = 16;

    internal ProviderAccount Account { get; } = account;

    internal IContactIdentityMap Map { get; } = map;

    internal IContactSource Source { get; } = source;

    internal TimeProvider Clock { get; } = clock;

    /// <summary>How old a known id may be before it is checked (where the source can check ids in bulk).</summary>
    internal TimeSpan VerifyAfter { get; } = verifyAfter;

    public string ProviderName { get; } = providerName;

    /// <summary>
    /// The reads a plan expects resolving <paramref name="contacts"/> contacts to take: the lookups when they are few
    /// (<paramref name="findCost"/>), else the cheaper of the lookups and the account's pages, the account assumed to
    /// hold about as many contacts as the input (a sync's account usually holds the same people).
    /// </summary>
    public static long PlannedReads(long contacts, long findCost, int pageSize)
        => findCost < FewestLookupsWorthAPage ? findCost : Math.Min(findCost, PlannedRequests.Batches(contacts, pageSize));

    /// <summary>The identity a checked contact is found by: the phone (E.164), else the lower-case e-mail.</summary>
    public static string? KeyOf(Contact contact) => IdentityKeys.Of(ContactIdentity.ProviderId, contact);

    /// <summary>Every identity a contact read from the provider can be found by.</summary>
    internal static IEnumerable<string> KeysOf(Contact contact) => IdentityKeys.AllOf(contact);

    /// <summary>Starts a bulk call: its reads are planned for <paramref name="expectedContacts"/> contacts (the whole input, when known).</summary>
    public ResolutionCall BeginCall(BulkOperation operation, string listId, long? expectedContacts) => new(this, operation, listId, expectedContacts);

    /// <summary>Records the contacts a provider's answer showed.</summary>
    public ValueTask LearnAsync(IEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var entries = contacts.Where(c => c.Id is not null)
            .SelectMany(c => KeysOf(c).Select(key => KeyValuePair.Create(key, new KnownContact(c.Id!, now))))
            .ToList();
        return entries.Count == 0 ? ValueTask.CompletedTask : Map.SetAsync(Account, entries, cancellationToken);
    }

    internal ValueTask LearnAsync(IEnumerable<KeyValuePair<string, string>> ids, CancellationToken cancellationToken)
    {
        var now = Clock.GetUtcNow();
        var entries = ids.Select(i => KeyValuePair.Create(i.Key, new KnownContact(i.Value, now))).ToList();
        return entries.Count == 0 ? ValueTask.CompletedTask : Map.SetAsync(Account, entries, cancellationToken);
    }

    /// <summary>Forgets identities whose contact the provider no longer knows.</summary>
    public ValueTask ForgetAsync(IReadOnlyCollection<string> keys, CancellationToken cancellationToken)
        => keys.Count == 0 ? ValueTask.CompletedTask : Map.RemoveAsync(Account, keys, cancellationToken);
}
