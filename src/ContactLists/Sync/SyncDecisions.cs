using System.Runtime.InteropServices;

namespace ContactLists;

/// <summary>
/// What a plan does with each row of its book (add, update, remove, keep, leave unchanged), decided from where the row
/// was seen (the source, the list as read, the ledger) and how much the sync may do, and what that comes to.
/// </summary>
internal static class SyncDecisions
{
    /// <summary>
    /// Whether a source contact's fields changed: since they were last sent, where the ledger knows it (and this is not a
    /// full pass that compared the member as read); else from the member as read.
    /// </summary>
    public static bool Changed(PlanRow row, bool full) => row.Has(RowFacts.InLedger) && !(full && row.Has(RowFacts.MemberCompared))
        ? row.Has(RowFacts.LedgerDiffers)
        : row.Has(RowFacts.MemberDiffers);

    public static PlanCounts Decide(PlanBook book, SyncMode mode, PlanBasis basis, bool full, bool canUpdate, SyncRemoval removal)
    {
        var counts = new PlanCounts();
        foreach (var hash in book.Rows.Keys)
        {
            ref var row = ref CollectionsMarshal.GetValueRefOrNullRef(book.Rows, hash);
            var inSource = row.Has(RowFacts.InSource);
            var inLedger = row.Has(RowFacts.InLedger);
            if (inSource && row.Has(RowFacts.OptedOut))
            {
                counts.OptedOut++;
            }

            if (mode == SyncMode.Replace || basis == PlanBasis.Resend)
            {
                // Every source contact is sent; in a replace the others leave with it, otherwise the ledger's are removed.
                if (inSource)
                {
                    row.Action = PlanAction.Add;
                    counts.Adds++;
                }
                else if (inLedger)
                {
                    counts.LedgerOnly++;
                    row.Action = mode == SyncMode.Replace ? PlanAction.None : RemoveOrKeep(row, removal, ref counts);
                }

                continue;
            }

            // The members as read (or, where they cannot be read, as the ledger knows them).
            var member = basis == PlanBasis.List ? row.Has(RowFacts.InList) : inLedger;
            if (inSource && !member)
            {
                row.Action = PlanAction.Add;
                counts.Adds++;
                counts.Drifted += inLedger ? 1 : 0;
            }
            else if (inSource)
            {
                var changed = Changed(row, full);
                if (changed && canUpdate)
                {
                    row.Action = PlanAction.Update;
                    counts.Updates++;
                }
                else
                {
                    row.Action = PlanAction.Unchanged;
                    counts.Unchanged++;
                    counts.UpdatesNotPossible += changed ? 1 : 0;
                }
            }
            else if (member)
            {
                row.Action = RemoveOrKeep(row, removal, ref counts);
            }
            else if (inLedger)
            {
                // The ledger knew it, the list does not hold it, and the source does not either.
                row.Action = PlanAction.Forget;
                counts.Drifted++;
            }
        }

        return counts;
    }

    private static PlanAction RemoveOrKeep(PlanRow row, SyncRemoval removal, ref PlanCounts counts)
    {
        if (removal == SyncRemoval.Mirror || (removal == SyncRemoval.Added && row.Has(RowFacts.AddedBySync)))
        {
            counts.Removes++;
            return PlanAction.Remove;
        }

        counts.Kept++;
        return PlanAction.Keep;
    }
}

/// <summary>What planning is compared against: the members as read, the ledger, or nothing (every contact is sent).</summary>
internal enum PlanBasis
{
    List,
    Ledger,
    Resend,
}

/// <summary>What a plan comes to, row by row.</summary>
internal struct PlanCounts
{
    public long Adds;
    public long Updates;
    public long UpdatesNotPossible;
    public long Removes;
    public long Unchanged;
    public long Kept;
    public long Drifted;
    public long OptedOut;

    /// <summary>Ledger entries the source does not hold (the members a replace removes, as far as the ledger knows).</summary>
    public long LedgerOnly;
}
