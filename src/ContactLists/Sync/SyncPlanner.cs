using System.Runtime.InteropServices;
using ContactLists.Adapters;
using ContactLists.Identity;

namespace ContactLists;

/// <summary>
/// Plans a sync, sending nothing but reads: the ledger's entries for the list, then the source (checked as the target's
/// client checks contacts, the first contact of each identity set aside), then the list's members where they can be
/// read (or counted), and decides per identity: add, update, unchanged, remove, keep, forget. Then the guards and the
/// estimate. Memory is one row per identity, whatever the source holds.
/// </summary>
internal sealed class SyncPlanner(IContactListClient target, ISyncLedger ledger, TimeProvider clock)
{
    private readonly ContactListClientBase? _adapter = target as ContactListClientBase;

    /// <summary>The list as the ledger names it: the account's one-way id (or, for another client, its provider and name) and the list's id.</summary>
    public SyncTarget TargetOf(string listId) => new(_adapter?.Account?.Id ?? $"{target.ProviderName}:{target.ClientName}", listId);

    public async Task<SyncPlan> PlanAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions options, bool newList, CancellationToken cancellationToken)
    {
        var book = new PlanBook { Target = TargetOf(listId) };
        try
        {
            return await PlanCoreAsync(book, listId, source, options, newList, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            book.Dispose();
            throw;
        }
    }

    private async Task<SyncPlan> PlanCoreAsync(PlanBook book, string listId, IAsyncEnumerable<Contact> source, SyncOptions options, bool newList, CancellationToken cancellationToken)
    {
        // 1. The source.
        var fields = new FieldTable();
        var read = await ReadSourceAsync(book, source, options.Bulk, fields, cancellationToken).ConfigureAwait(false);

        // 2. What the ledger knows (nothing for a new list, or after a replace that was never confirmed).
        var run = newList ? null : await ledger.GetRunAsync(book.Target!, cancellationToken).ConfigureAwait(false);
        var ledgerTrusted = run is { TracksList: true, ReplaceUnconfirmed: false };
        long? ledgerCount = null;
        if (ledgerTrusted)
        {
            ledgerCount = 0;
            await foreach (var entry in ledger.ReadAsync(book.Target!, cancellationToken).ConfigureAwait(false))
            {
                var hash = IdentityHash.Of(entry.Identity);
                ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(book.Rows, hash, out _);
                if (!row.Has(RowFacts.InSource))
                {
                    book.Keys[hash] = entry.Identity;
                }

                // The source was read first: its fingerprint is there to compare with (a row it does not hold has none to).
                row.Facts |= RowFacts.InLedger | (entry.AddedBySync ? RowFacts.AddedBySync : RowFacts.None)
                    | (entry.Fingerprint != row.SourceFingerprint ? RowFacts.LedgerDiffers : RowFacts.None);
                if (entry.SentAs is { } sentAs)
                {
                    book.SentAs[hash] = sentAs;
                }

                ledgerCount++;
            }
        }

        // 3. The list's members, where they can be read; else counted, where they can be.
        var full = options.Full || (options.FullPassAfter is { } age && run?.LastFullPassAt is { } last && clock.GetUtcNow() - last > age);
        var reach = newList ? Reach.New() : await ReadMembersAsync(book, listId, fields, compareAll: full || !ledgerTrusted, full, cancellationToken).ConfigureAwait(false);

        // 4. The mode.
        var caps = target.Capabilities;
        var canReplace = caps.HasFlag(ContactListCapabilities.ReplaceContacts);
        var mode = SyncMode.Difference;
        var basis = PlanBasis.List;
        string reason;
        if (reach.Kind == ReachKind.New)
        {
            reason = "a new list: every valid contact is added";
        }
        else if (reach.Kind == ReachKind.Whole)
        {
            reason = $"{target.ProviderName} lists its members, so only the differences are sent";
        }
        else
        {
            // The members cannot be read: the ledger says what the syncs made the list hold, unless it cannot be trusted.
            var countDrift = ledgerCount is { } knownCount && reach.Count is { } counted
                && (counted < knownCount || (counted > knownCount && options.Removal == SyncRemoval.Mirror));
            var fullPass = full || !ledgerTrusted || countDrift;
            basis = fullPass ? PlanBasis.Resend : PlanBasis.Ledger;
            reason = !fullPass
                ? $"{reach.Why}; the ledger of the last sync ({run!.StartedAt:u}) says what it holds, so only the differences are sent"
                : run is { ReplaceUnconfirmed: true } ? $"{reach.Why}, and the last run's replace was never confirmed, so what it holds is unknown"
                : !ledgerTrusted ? $"{reach.Why}, and the ledger does not know this list (a first sync)"
                : countDrift ? $"{reach.Why}; it holds {reach.Count:N0} members where the ledger knows {ledgerCount:N0}, so a full pass repairs the difference"
                : options.Full ? $"{reach.Why}; a full pass was asked for"
                : $"{reach.Why}; the last full pass was on {run!.LastFullPassAt:u}";
            if (fullPass && options.Removal == SyncRemoval.Mirror && canReplace)
            {
                mode = SyncMode.Replace;
                reason += ": the list is replaced";
            }
            else if (fullPass)
            {
                reason += options.Removal == SyncRemoval.Mirror
                    ? ": every contact is sent again"
                    : $": every contact is sent again (removals are '{options.Removal}', so the list is not replaced)";
            }
        }

        // 5. The decisions.
        var canUpdate = caps.HasFlag(ContactListCapabilities.UpdateContacts);
        var counts = SyncDecisions.Decide(book, mode, basis, full, canUpdate, options.Removal);
        var removals = new List<Contact>();
        if (counts.Removes > 0)
        {
            foreach (var (hash, row) in book.Rows)
            {
                if (row.Action == PlanAction.Remove)
                {
                    // A member is removed as it was added: by the provider's id where it was read, else as it was sent.
                    var key = book.Keys[hash];
                    var memberId = book.MemberIds.GetValueOrDefault(hash);
                    removals.Add(book.SentAs.TryGetValue(hash, out var sentAs) && memberId is null ? IdentityKeys.ToContact(key) with { Email = sentAs } : IdentityKeys.ToContact(key, memberId));
                    book.RemovalKeys.Add(key);
                }
            }
        }

        long? replaceRemoves = mode != SyncMode.Replace ? null
            : reach.Count is { } count ? ledgerTrusted ? counts.LedgerOnly + Math.Max(0, count - ledgerCount!.Value) : count
            : ledgerTrusted ? counts.LedgerOnly
            : null;

        var plan = new SyncPlan(book)
        {
            Provider = target.ProviderName,
            ListId = listId,
            Mode = mode,
            ModeReason = reason,
            FullPass = full || mode == SyncMode.Replace || basis == PlanBasis.Resend,
            Removal = options.Removal,
            SourceCount = read.Read,
            Blank = read.Blank,
            Duplicates = read.Duplicates,
            TargetCount = reach.Count,
            LedgerCount = ledgerCount,
            Adds = counts.Adds,
            Updates = counts.Updates,
            UpdatesNotPossible = counts.UpdatesNotPossible,
            Removes = counts.Removes,
            Unchanged = counts.Unchanged,
            Kept = counts.Kept,
            Drifted = counts.Drifted,
            OptedOut = counts.OptedOut,
            ReplaceRemovesAtMost = replaceRemoves,
            Removals = removals,
            Invalid = read.Invalid,
            FieldsLeftOut = read.FieldsLeftOut,
            ResumesRunStartedAt = run is { Outcome: SyncRunOutcome.Running or SyncRunOutcome.Partial } ? run.StartedAt : null,
            Estimate = Estimate(mode, counts, reach.Kind == ReachKind.Whole, options.Bulk),
        };
        plan.Refusal = SyncGuards.Check(plan, options, reach.Count ?? ledgerCount, read.Valid);
        return plan;
    }

    private async Task<SourceRead> ReadSourceAsync(PlanBook book, IAsyncEnumerable<Contact> source, BulkOptions? bulk, FieldTable fields, CancellationToken cancellationToken)
    {
        var rules = _adapter?.RulesFor(bulk);
        var invalid = new CompactRejects();
        var fieldsLeftOut = new Dictionary<string, long>(StringComparer.Ordinal);
        var pairs = new List<KeyValuePair<string, string>>();
        long read = 0, blank = 0, duplicates = 0, valid = 0;
        await foreach (var contact in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (contact is null || contact.IsBlank)
            {
                blank++;
                continue;
            }

            var index = read++;
            var check = _adapter is null ? ContactCheck.Valid(contact) : await _adapter.PrepareAsync(contact, rules!, cancellationToken).ConfigureAwait(false);
            if (!check.IsValid || IdentityKeys.Of(target.Identity, check.Normalized!) is not { } key)
            {
                invalid.Add(new RejectedContact(index, contact, check.Field ?? IdentityField, check.IsValid
                    ? $"{IdentityField} is required to sync into {target.ProviderName}"
                    : $"{check.Field} {check.Reason}", ByProvider: false));
                continue;
            }

            ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(book.Rows, IdentityHash.Of(key), out _);
            if (row.Has(RowFacts.InSource))
            {
                duplicates++;
                continue;
            }

            valid++;
            pairs.Clear();
            Comparable(check.Normalized!, pairs);
            row.Facts |= RowFacts.InSource;
            row.FieldMask = fields.MaskOf(pairs);
            row.SourceFingerprint = SyncFields.Fingerprint(pairs);
            book.Spool.Append(key, index, contact);
            foreach (var field in check.Dropped ?? [])
            {
                fieldsLeftOut[field] = fieldsLeftOut.GetValueOrDefault(field) + 1;
            }
        }

        return new SourceRead(read, blank, duplicates, valid, invalid, fieldsLeftOut);
    }

    /// <summary>
    /// Reads the list's members into the book: each is matched to the source row of any identity it has (a contact the
    /// source gives by e-mail is the member with that e-mail, whatever its phone), and compared with it on the fields the
    /// source sets, where the ledger cannot say whether they changed.
    /// </summary>
    private async Task<Reach> ReadMembersAsync(PlanBook book, string listId, FieldTable fields, bool compareAll, bool full, CancellationToken cancellationToken)
    {
        var caps = target.Capabilities;
        var addRemove = caps.HasFlag(ContactListCapabilities.AddContacts) && caps.HasFlag(ContactListCapabilities.RemoveContacts);
        var readable = addRemove && (caps.HasFlag(ContactListCapabilities.GetContacts) || caps.HasFlag(ContactListCapabilities.GetContactsFirstPage));
        if (!readable)
        {
            long? count = caps.HasFlag(ContactListCapabilities.CountContacts) ? await target.CountContactsAsync(listId, cancellationToken).ConfigureAwait(false) : null;
            return new Reach(ReachKind.Unreadable, count, $"{target.ProviderName} cannot list a list's members");
        }

        var pairs = new List<KeyValuePair<string, string>>();
        var onlyInList = new List<IdentityHash>();
        long members = 0;
        try
        {
            await foreach (var member in target.GetContactsAsync(listId, cancellationToken).ConfigureAwait(false))
            {
                if (MatchKey(book, member) is not var (key, hash))
                {
                    continue;
                }

                ref var row = ref CollectionsMarshal.GetValueRefOrAddDefault(book.Rows, hash, out var known);
                if (row.Has(RowFacts.InList))
                {
                    continue;
                }

                members++;
                row.Facts |= RowFacts.InList | (member.Consent?.OptedOut == true ? RowFacts.OptedOut : RowFacts.None);
                if (!row.Has(RowFacts.InSource))
                {
                    // A member the source does not hold: it may be removed, by its identity and the provider's id.
                    if (!known)
                    {
                        book.Keys[hash] = key;
                        onlyInList.Add(hash);
                    }

                    RememberId(book, hash, member.Id);
                    continue;
                }

                if (compareAll || !row.Has(RowFacts.InLedger))
                {
                    pairs.Clear();
                    Comparable(member, pairs);
                    if (!fields.Overflowed)
                    {
                        fields.Keep(pairs, row.FieldMask);
                    }

                    row.Facts |= RowFacts.MemberCompared | (SyncFields.Fingerprint(pairs) != row.SourceFingerprint ? RowFacts.MemberDiffers : RowFacts.None);
                }

                // Its id is kept only if it will be updated: an unchanged member costs no string.
                if (SyncDecisions.Changed(row, full))
                {
                    RememberId(book, hash, member.Id);
                }
            }
        }
        catch (ContactListPagingLimitException tooLarge)
        {
            // Nothing was returned of a list larger than the provider gives (Whippy): what was read of it is forgotten.
            foreach (var hash in onlyInList)
            {
                book.Rows.Remove(hash);
                book.Keys.Remove(hash);
            }

            foreach (var hash in book.Rows.Keys)
            {
                ref var row = ref CollectionsMarshal.GetValueRefOrNullRef(book.Rows, hash);
                row.Facts &= ~(RowFacts.InList | RowFacts.OptedOut | RowFacts.MemberCompared | RowFacts.MemberDiffers);
            }

            book.MemberIds.Clear();
            return new Reach(ReachKind.Unreadable, tooLarge.Total, $"the list has {tooLarge.Total:N0} members and {target.ProviderName} gives only the first {tooLarge.Readable} of a list's members");
        }

        return new Reach(ReachKind.Whole, members, null);

        static void RememberId(PlanBook book, IdentityHash hash, string? id)
        {
            if (id is not null)
            {
                book.MemberIds[hash] = id;
            }
        }
    }

    /// <summary>The row a member read back belongs to: the source's row of any identity it has, else its own identity's.</summary>
    private (string Key, IdentityHash Hash)? MatchKey(PlanBook book, Contact member)
    {
        if (target.Identity == ContactIdentity.ProviderId)
        {
            foreach (var candidate in IdentityKeys.AllOf(member))
            {
                var hash = IdentityHash.Of(candidate);
                if (book.Rows.TryGetValue(hash, out var row) && row.Has(RowFacts.InSource))
                {
                    return (candidate, hash);
                }
            }
        }

        return IdentityKeys.Of(target.Identity, member) is { } key ? (key, IdentityHash.Of(key)) : null;
    }

    private SyncEstimate Estimate(SyncMode mode, PlanCounts counts, bool membersRead, BulkOptions? bulk)
    {
        if (_adapter is null)
        {
            return SyncEstimate.None;
        }

        // Members read from the list carry the provider's ids: their updates and removes need no lookup.
        (BulkOperation, long, bool)[] work = mode == SyncMode.Replace
            ? [(BulkOperation.Replace, counts.Adds, false)]
            : [(BulkOperation.Add, counts.Adds, false), (BulkOperation.Update, counts.Updates, membersRead), (BulkOperation.Remove, counts.Removes, membersRead)];
        return _adapter.Estimate(work, bulk);
    }

    private void Comparable(Contact contact, List<KeyValuePair<string, string>> into)
    {
        if (_adapter is null)
        {
            SyncFields.Collect(contact, into);
        }
        else
        {
            _adapter.ComparableFields(contact, into);
        }
    }

    private string IdentityField => target.Identity switch
    {
        ContactIdentity.Email => nameof(Contact.Email),
        ContactIdentity.Phone => nameof(Contact.Phone),
        _ => "Phone/Email",
    };

    private enum ReachKind
    {
        New,
        Whole,
        Unreadable,
    }

    private readonly record struct Reach(ReachKind Kind, long? Count, string? Why)
    {
        public static Reach New() => new(ReachKind.New, 0, null);
    }

    private sealed record SourceRead(long Read, long Blank, long Duplicates, long Valid, CompactRejects Invalid, Dictionary<string, long> FieldsLeftOut);
}
