using ContactLists.Identity;
namespace ContactLists;

/// <summary>What a plan decided for one identity.</summary>
internal enum PlanAction : byte
{
    /// <summary>Nothing to send or record.</summary>
    None,

    /// <summary>Add the source contact (or, in a replace, send it as one of the list's new members).</summary>
    Add,

    /// <summary>Update the member's fields.</summary>
    Update,

    /// <summary>In the list with the same fields: nothing sent; recorded in the ledger when it did not know it so.</summary>
    Unchanged,

    /// <summary>Remove the member.</summary>
    Remove,

    /// <summary>A member the source does not hold that stays (not the sync's to remove).</summary>
    Keep,

    /// <summary>The ledger knew it, the list no longer holds it and the source does not either: forgotten.</summary>
    Forget,
}

/// <summary>What a plan learned about one identity.</summary>
[Flags]
internal enum RowFacts : byte
{
    None = 0,

    /// <summary>The source holds it (its first contact of that identity).</summary>
    InSource = 1,

    /// <summary>The list holds it, as read.</summary>
    InList = 2,

    /// <summary>The ledger knows it.</summary>
    InLedger = 4,

    /// <summary>The ledger says a sync added it.</summary>
    AddedBySync = 8,

    /// <summary>The member as read differs from the source on the fields the source sets.</summary>
    MemberDiffers = 16,

    /// <summary>The provider holds it as opted out.</summary>
    OptedOut = 32,

    /// <summary>The member as read was compared with the source.</summary>
    MemberCompared = 64,

    /// <summary>The fields the ledger says were last sent differ from the source's (its fingerprint is another).</summary>
    LedgerDiffers = 128,
}

/// <summary>One identity of a plan: where it was found, its fingerprint, and the decision (24 bytes).</summary>
internal struct PlanRow
{
    /// <summary>The fingerprint of the fields the source contact sets, as it will be sent.</summary>
    public long SourceFingerprint;

    /// <summary>Which fields the source contact sets (see <see cref="FieldTable"/>).</summary>
    public ulong FieldMask;

    public RowFacts Facts;

    public PlanAction Action;

    public readonly bool Has(RowFacts fact) => (Facts & fact) == fact;
}

/// <summary>
/// A plan's memory, sized for a million rows: one 24-byte <see cref="PlanRow"/> per identity met in the source, the
/// ledger or the list, keyed by a 128-bit hash of the identity (<see cref="IdentityHash"/>); the source contacts
/// set aside in a <see cref="ContactSpool"/> (with their identities as written), read back when the plan is applied; and,
/// in side tables, the few strings some rows need: the identity of a row the source does not hold (to remove or forget
/// it), the provider id of a member that will be updated or removed, the identity as it was sent where it differs.
/// </summary>
internal sealed class PlanBook : IDisposable
{
    public Dictionary<IdentityHash, PlanRow> Rows { get; } = [];

    /// <summary>The identity of each row the source does not hold (the source's are in the spool).</summary>
    public Dictionary<IdentityHash, string> Keys { get; } = [];

    /// <summary>The provider's id of each member read that will be updated or may be removed.</summary>
    public Dictionary<IdentityHash, string> MemberIds { get; } = [];

    /// <summary>The identity as the ledger says it was sent, where it differs from the key (an e-mail's case).</summary>
    public Dictionary<IdentityHash, string> SentAs { get; } = [];

    public ContactSpool Spool { get; } = new();

    /// <summary>The target's name in the ledger.</summary>
    public SyncTarget? Target { get; set; }

    /// <summary>The identity of each member of <see cref="SyncPlan.Removals"/>, in the same order.</summary>
    public List<string> RemovalKeys { get; } = [];

    /// <summary>The source position of each contact the adds (or the replace) left out, by its position in that call.</summary>
    public Dictionary<long, long> AddsLeftOut { get; } = [];

    /// <summary>The source position of each contact the updates left out, by its position in that call.</summary>
    public Dictionary<long, long> UpdatesLeftOut { get; } = [];

    /// <summary>The spooled contacts whose decision is <paramref name="action"/>, in source order.</summary>
    public IEnumerable<SpooledContact> Spooled(PlanAction action) => Spooled(row => row.Action == action);

    /// <summary>The spooled contacts whose row passes <paramref name="wanted"/>, in source order.</summary>
    public IEnumerable<SpooledContact> Spooled(Func<PlanRow, bool> wanted)
    {
        foreach (var spooled in Spool.Read())
        {
            if (Rows.TryGetValue(IdentityHash.Of(spooled.Key), out var row) && wanted(row))
            {
                yield return spooled;
            }
        }
    }

    public void Dispose() => Spool.Dispose();
}
