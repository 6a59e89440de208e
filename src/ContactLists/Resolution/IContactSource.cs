namespace ContactLists.Resolution;

/// <summary>What looking contacts up gave, by identity: the ids found, and the lookups that failed.</summary>
/// <param name="Found">Identity → the contact's id.</param>
/// <param name="Failed">Identity → why its lookup failed.</param>
internal sealed record ContactLookup(IReadOnlyDictionary<string, string> Found, IReadOnlyDictionary<string, Exception> Failed);

/// <summary>What creating contacts gave: the id of each position, the positions refused (with why), and those whose creation failed.</summary>
internal sealed record ContactCreation(string?[] Ids, IReadOnlyList<(int Position, string Reason)> Rejected, IReadOnlyList<(int Position, Exception Error)> Unresolved);

/// <summary>
/// What a provider whose membership calls take its own contact ids offers the <see cref="ContactDirectory"/>: reads of
/// the account's contacts and of a list's members, lookups, creates, and (where the provider can check many ids at
/// once) a check that ids still exist.
/// </summary>
internal interface IContactSource
{
    /// <summary>One page of the account's contacts (each with its id, and the phone and e-mail the provider holds), from <paramref name="offset"/>.</summary>
    Task<Http.Page<Contact>> ReadAccountAsync(int offset, CancellationToken cancellationToken);

    /// <summary>One page of a list's members, from <paramref name="offset"/>.</summary>
    Task<Http.Page<Contact>> ReadListAsync(string listId, int offset, CancellationToken cancellationToken);

    /// <summary>
    /// Finds contacts by their identity (<see cref="ContactDirectory.KeyOf"/>: the phone, else the e-mail; one lookup
    /// per contact at most): the found ones' ids, and the lookups that failed, by identity.
    /// </summary>
    Task<ContactLookup> FindAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken);

    /// <summary>The requests <see cref="FindAsync"/> takes for <paramref name="contacts"/> contacts (to weigh it against reading pages).</summary>
    long FindCost(long contacts);

    /// <summary>Creates the contacts (not found anywhere); their ids by position.</summary>
    Task<ContactCreation> CreateAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken);

    /// <summary>Of <paramref name="ids"/>, those the provider still knows; <see langword="null"/> when the provider cannot check ids in bulk (staleness is then found when a membership call refuses an id).</summary>
    Task<IReadOnlySet<string>>? VerifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken);
}
