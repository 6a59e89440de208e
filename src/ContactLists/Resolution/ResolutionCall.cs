using ContactLists.Bulk;
using ContactLists.Identity;
using ContactLists.Sharing;
using System.Collections.Concurrent;

namespace ContactLists.Resolution;

/// <summary>One bulk call's resolution: the reads it has made (a list's members, pages of the account), shared by its batches.</summary>
internal sealed partial class ResolutionCall(ContactDirectory directory, BulkOperation operation, string listId, long? expectedContacts) : IDisposable
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> _members = new(StringComparer.Ordinal);
    private readonly Http.Pages<Contact> _list = new(directory.ProviderName, $"the members of list {listId}", (offset, ct) => directory.Source.ReadListAsync(listId, offset, ct), contact => contact.Id);
    private readonly Http.Pages<Contact> _account = new(directory.ProviderName, "the account's contacts", directory.Source.ReadAccountAsync, contact => contact.Id);
    private int _listPages;
    private bool _listComplete;
    private int _accountPages;
    private bool _accountComplete;
    private bool _accountStopped;

    // Pages read by the call, list and account: a batch that waited for another's read looks in the map again first.
    private int _pagesRead;

    // Identities whose create failed after it may have reached the provider: never taken as absent, always looked up.
    private readonly ConcurrentDictionary<string, byte> _maybeCreated = new(StringComparer.Ordinal);

    /// <summary>The operation the call runs.</summary>
    public BulkOperation Operation { get; } = operation;

    /// <summary>The list's members' ids, as far as the list was read.</summary>
    public IReadOnlyList<string> MemberIds => [.. _members.Keys];

    /// <summary>Whether the list read so far holds <paramref name="id"/>.</summary>
    public bool IsMember(string id) => _members.ContainsKey(id);

    /// <summary>Whether the list was read whole (so <see cref="MemberIds"/> is every member at the start of the call).</summary>
    public bool ListReadWhole => _listComplete;

    /// <summary>
    /// Reads the list's members before the call changes anything, as offset pages of a list that is being changed
    /// would skip members: a replace reads it whole (it needs every former member); a remove reads it while that
    /// is cheaper than looking its input up (its size known only when the input's is); an add does not.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (Operation == BulkOperation.Add)
        {
            return;
        }

        var cost = directory.Source.FindCost(Expected);
        var budget = Operation == BulkOperation.Replace ? int.MaxValue : cost < ContactDirectory.FewestLookupsWorthAPage ? 0 : cost / ContactDirectory.ScanShare;
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (!_listComplete && _listPages < budget)
            {
                await ReadListPageAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _reading.Release();
        }
    }

    private async Task ReadListPageAsync(CancellationToken cancellationToken)
    {
        var page = await _list.NextAsync(cancellationToken).ConfigureAwait(false);
        _listPages++;
        Interlocked.Increment(ref _pagesRead);
        _listComplete = _list.Done;
        foreach (var member in page.Items)
        {
            _members[member.Id!] = 0;
        }

        await directory.LearnAsync(page.Items, cancellationToken).ConfigureAwait(false);
    }

    private async Task ReadAccountPageAsync(CancellationToken cancellationToken)
    {
        var page = await _account.NextAsync(cancellationToken).ConfigureAwait(false);
        _accountPages++;
        Interlocked.Increment(ref _pagesRead);
        _accountComplete = _account.Done;
        if (!_accountComplete && _account.Total is { } total && page.Items.Count > 0)
        {
            // The rest of the account, in pages like this one: worth reading only if cheaper than the lookups it saves.
            var pagesLeft = (total - _account.Offset + page.Items.Count - 1) / page.Items.Count;
            _accountStopped = _accountPages + pagesLeft > directory.Source.FindCost(Expected) / ContactDirectory.ScanShare;
        }

        await directory.LearnAsync(page.Items, cancellationToken).ConfigureAwait(false);
    }

    private long Expected => Math.Max(1, expectedContacts ?? 0);

    public void Dispose() => _reading.Dispose();

    /// <summary>
    /// The provider ids of <paramref name="contacts"/> (checked and normalized): from the contact itself, the identity
    /// map, the list (when removing or replacing), the account's pages (when the input is large against the
    /// lookups), lookups, and, when <paramref name="create"/> is set, creates. Contacts refused (unknown when
    /// removing, refused by the provider, two identities of two contacts) are reported with why; those whose lookup
    /// or create failed, with the failure.
    /// </summary>
    public async Task<ResolvedBatch> ResolveAsync(IReadOnlyList<Contact> contacts, bool create, CancellationToken cancellationToken)
    {
        var ids = new string?[contacts.Count];
        var fromMap = new bool[contacts.Count];
        var rejected = new List<(int Position, string Reason)>();
        var unresolved = new List<(int Position, Exception Error)>();
        var pending = new List<int>();
        for (var i = 0; i < contacts.Count; i++)
        {
            if (contacts[i].Id is { } id)
            {
                ids[i] = id;
            }
            else
            {
                pending.Add(i);
            }
        }

        var seen = Volatile.Read(ref _pagesRead);
        await FromMapAsync(contacts, pending, ids, fromMap, rejected, cancellationToken).ConfigureAwait(false);

        // The account's pages, while they promise to be cheaper than looking up what is still missing. (A list's
        // members were read before the call's first change, if at all: see PrepareAsync.)
        while (pending.Count > 0 && await ReadMoreAsync(pending.Count, seen, cancellationToken).ConfigureAwait(false))
        {
            seen = Volatile.Read(ref _pagesRead);
            await FromMapAsync(contacts, pending, ids, fromMap, rejected, cancellationToken).ConfigureAwait(false);
        }

        if (pending.Count > 0 && seen != Volatile.Read(ref _pagesRead))
        {
            // Pages another batch read while this one waited may hold what is still missing.
            await FromMapAsync(contacts, pending, ids, fromMap, rejected, cancellationToken).ConfigureAwait(false);
        }

        // Once the whole account was read, what is still missing does not exist: nothing to look up, except a
        // contact whose create may have arrived since (its answer was lost).
        if (pending.Count > 0 && !_accountComplete)
        {
            await FindAsync(contacts, pending, ids, unresolved, cancellationToken).ConfigureAwait(false);
        }
        else if (pending.Any(p => ContactDirectory.KeyOf(contacts[p]) is { } key && _maybeCreated.ContainsKey(key)))
        {
            var uncertain = pending.Where(p => _maybeCreated.ContainsKey(ContactDirectory.KeyOf(contacts[p])!)).ToList();
            pending.RemoveAll(uncertain.Contains);
            await FindAsync(contacts, uncertain, ids, unresolved, cancellationToken).ConfigureAwait(false);
            pending.AddRange(uncertain);
        }

        if (pending.Count > 0)
        {
            if (create)
            {
                await CreateAsync(contacts, pending, ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                rejected.AddRange(pending.Select(p => (p, $"No {directory.ProviderName} contact has {Describe(contacts[p])}.")));
            }
        }

        if (unresolved.Count == contacts.Count)
        {
            // Nothing to send: the batch fails, with the first failure (which says whether it may have been applied).
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(unresolved[0].Error);
        }

        return new ResolvedBatch(ids, fromMap, [.. rejected.OrderBy(r => r.Position)], [.. unresolved.OrderBy(u => u.Position)]);
    }

    /// <summary>Forgets the ids of <paramref name="positions"/> (the provider no longer knows them) so that they are resolved again.</summary>
    public ValueTask ForgetAsync(IReadOnlyList<Contact> contacts, IEnumerable<int> positions, CancellationToken cancellationToken)
        => directory.ForgetAsync([.. positions.Select(p => ContactDirectory.KeyOf(contacts[p])).OfType<string>()], cancellationToken);

    /// <summary>
    /// Reads one more page of the account, if that is still worth it against looking <paramref name="missing"/>
    /// contacts up; says whether a page was read since the caller's last look (<paramref name="seen"/> pages), by it or another batch.
    /// </summary>
    private async Task<bool> ReadMoreAsync(int missing, int seen, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_pagesRead != seen)
            {
                return true;
            }

            // Pages are worth reading while they cost at most a share of the lookups they may save for the whole
            // call (a list's or an account's size is unknown until its end, or a total, is seen).
            var cost = directory.Source.FindCost(Math.Max(Expected, missing));
            var budget = cost < ContactDirectory.FewestLookupsWorthAPage ? 0 : cost / ContactDirectory.ScanShare;
            if (_accountComplete || _accountStopped || _accountPages >= budget)
            {
                return false;
            }

            await ReadAccountPageAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        finally
        {
            _reading.Release();
        }
    }

    /// <summary>Takes the ids the identity map knows for <paramref name="pending"/> positions (and checks old ones, where the provider can).</summary>
    private async Task FromMapAsync(IReadOnlyList<Contact> contacts, List<int> pending, string?[] ids, bool[] fromMap, List<(int, string)> rejected, CancellationToken cancellationToken)
    {
        if (pending.Count == 0)
        {
            return;
        }

        var keys = pending.SelectMany(p => ContactDirectory.KeysOf(contacts[p])).Distinct(StringComparer.Ordinal).ToList();
        var known = await directory.Map.GetAsync(directory.Account, keys, cancellationToken).ConfigureAwait(false);
        await VerifyOldAsync(known, cancellationToken).ConfigureAwait(false);
        var still = new List<int>();
        foreach (var position in pending)
        {
            var contact = contacts[position];
            var byPhone = contact.Phone is { } phone && known.TryGetValue(IdentityKeys.ForPhone(phone), out var p) ? p.ContactId : null;
            var byEmail = contact.Email is { } email && known.TryGetValue(IdentityKeys.ForEmail(email), out var e) ? e.ContactId : null;
            if (byPhone is not null && byEmail is not null && byPhone != byEmail)
            {
                // Two identities of one input, two contacts of the provider: neither is guessed.
                rejected.Add((position, $"Its phone is {directory.ProviderName} contact {byPhone} and its e-mail is contact {byEmail}: two different contacts, so neither is assumed."));
                continue;
            }

            // The phone finds a contact when there is one; the e-mail only when there is no phone.
            var id = contact.Phone is not null ? byPhone : byEmail;
            if (id is null)
            {
                still.Add(position);
                continue;
            }

            ids[position] = id;
            fromMap[position] = true;
        }

        pending.Clear();
        pending.AddRange(still);
    }

    /// <summary>Ids confirmed longer ago than the provider's verify window are checked (where it can check many at once); forgotten when it no longer knows them.</summary>
    private async Task VerifyOldAsync(IReadOnlyDictionary<string, KnownContact> known, CancellationToken cancellationToken)
    {
        var old = known.Where(k => directory.Clock.GetUtcNow() - k.Value.ConfirmedAt > directory.VerifyAfter).ToList();
        if (old.Count == 0 || directory.Source.VerifyAsync(old.Select(o => o.Value.ContactId).Distinct(StringComparer.Ordinal).ToList(), cancellationToken) is not { } verifying)
        {
            return;
        }

        var existing = await verifying.ConfigureAwait(false);
        var gone = old.Where(o => !existing.Contains(o.Value.ContactId)).Select(o => o.Key).ToList();
        await directory.ForgetAsync(gone, cancellationToken).ConfigureAwait(false);
        await directory.LearnAsync(old.Where(o => existing.Contains(o.Value.ContactId)).Select(o => KeyValuePair.Create(o.Key, o.Value.ContactId)), cancellationToken).ConfigureAwait(false);
        if (known is Dictionary<string, KnownContact> editable)
        {
            gone.ForEach(key => editable.Remove(key));
        }
    }

    private async Task FindAsync(IReadOnlyList<Contact> contacts, List<int> pending, string?[] ids, List<(int, Exception)> unresolved, CancellationToken cancellationToken)
    {
        ContactLookup lookup;
        try
        {
            lookup = await directory.Source.FindAsync([.. pending.Select(p => contacts[p])], cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListException ex) when (Retries.Failures.IsContactsOwn(ex))
        {
            // The lookup failed: these contacts are not resolved (and sent again later); the rest of the batch goes on.
            unresolved.AddRange(pending.Select(p => (p, (Exception)ex)));
            pending.Clear();
            return;
        }

        await directory.LearnAsync(lookup.Found, cancellationToken).ConfigureAwait(false);
        var still = new List<int>();
        foreach (var position in pending)
        {
            var key = ContactDirectory.KeyOf(contacts[position]);
            if (key is not null && lookup.Found.TryGetValue(key, out var id))
            {
                ids[position] = id;
            }
            else if (key is not null && lookup.Failed.TryGetValue(key, out var failure))
            {
                // That one lookup failed: that contact alone is not resolved; it is sent again later.
                unresolved.Add((position, failure));
            }
            else
            {
                still.Add(position);
            }
        }

        pending.Clear();
        pending.AddRange(still);
    }

    private async Task CreateAsync(IReadOnlyList<Contact> contacts, List<int> pending, string?[] ids, List<(int, string)> rejected, List<(int, Exception)> unresolved, CancellationToken cancellationToken)
    {
        ContactCreation created;
        try
        {
            created = await directory.Source.CreateAsync([.. pending.Select(p => contacts[p])], cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListException ex) when (Retries.Failures.IsContactsOwn(ex))
        {
            unresolved.AddRange(pending.Select(p => (p, (Exception)ex)));
            foreach (var position in pending)
            {
                _maybeCreated[ContactDirectory.KeyOf(contacts[position])!] = 0;
            }

            return;
        }

        var learned = new List<KeyValuePair<string, string>>();
        for (var n = 0; n < pending.Count; n++)
        {
            if (created.Ids[n] is { } id)
            {
                ids[pending[n]] = id;
                learned.AddRange(ContactDirectory.KeysOf(contacts[pending[n]]).Select(key => KeyValuePair.Create(key, id)));
            }
        }

        await directory.LearnAsync(learned, cancellationToken).ConfigureAwait(false);
        rejected.AddRange(created.Rejected.Select(r => (pending[r.Position], r.Reason)));

        // A create refused for its content may be a contact that exists after all (created meanwhile by another
        // instance, or moved past an offset page by a change during the account's read): it is looked up once,
        // so it is used, not reported, and never created twice.
        foreach (var (position, _) in created.Unresolved)
        {
            _maybeCreated[ContactDirectory.KeyOf(contacts[pending[position]])!] = 0;
        }

        var refused = created.Unresolved.Where(u => u.Error is ContactListRequestRejectedException).Select(u => pending[u.Position]).ToList();
        unresolved.AddRange(created.Unresolved.Where(u => u.Error is not ContactListRequestRejectedException).Select(u => (pending[u.Position], u.Error)));
        if (refused.Count > 0)
        {
            var errors = created.Unresolved.ToDictionary(u => pending[u.Position], u => u.Error);
            var missing = new List<int>(refused);
            await FindAsync(contacts, missing, ids, unresolved, cancellationToken).ConfigureAwait(false);
            unresolved.AddRange(missing.Select(p => (p, errors[p])));
        }
    }

    private static string Describe(Contact contact) => contact.Phone is not null ? "mobile number " + contact.Phone : "e-mail " + contact.Email;
}

/// <summary>What resolving a batch gave.</summary>
/// <param name="Ids">The id of each position; <see langword="null"/> where it was refused or failed.</param>
/// <param name="FromMap">Whether each id came from the identity map (it may be stale: forget it if the provider refuses it).</param>
/// <param name="Rejected">Positions refused, with why.</param>
/// <param name="Unresolved">Positions whose lookup or creation failed, with the failure.</param>
internal sealed record ResolvedBatch(string?[] Ids, bool[] FromMap, IReadOnlyList<(int Position, string Reason)> Rejected, IReadOnlyList<(int Position, Exception Error)> Unresolved);
