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
}

/// <summary>One identity of a plan: where it was found, its fingerprints, and the decision.</summary>
internal struct PlanRow
{
    /// <summary>Its position in the source (when <see cref="RowFacts.InSource"/>).</summary>
    public long SourceIndex;

    /// <summary>The fingerprint of the fields the source contact sets, as it will be sent.</summary>
    public long SourceFingerprint;

    /// <summary>Which fields the source contact sets (see <see cref="FieldTable"/>).</summary>
    public ulong FieldMask;

    /// <summary>The fingerprint the ledger holds.</summary>
    public long LedgerFingerprint;

    /// <summary>The provider's id of the member, as read.</summary>
    public string? MemberId;

    /// <summary>The identity as the ledger says it was sent, when it differs from the key (an e-mail's case).</summary>
    public string? SentAs;

    public RowFacts Facts;

    public PlanAction Action;

    public readonly bool Has(RowFacts fact) => (Facts & fact) == fact;
}

/// <summary>
/// A plan's memory: one <see cref="PlanRow"/> per identity met in the ledger, the source or the list (about a hundred
/// bytes each), and the source contacts set aside in a <see cref="ContactSpool"/>, read back when the plan is applied.
/// </summary>
internal sealed class PlanBook : IDisposable
{
    public Dictionary<string, PlanRow> Rows { get; } = new(StringComparer.Ordinal);

    public ContactSpool Spool { get; } = new();

    /// <summary>The target's name in the ledger.</summary>
    public SyncTarget? Target { get; set; }

    /// <summary>The identity of each member of <see cref="SyncPlan.Removals"/>, in the same order.</summary>
    public List<string> RemovalKeys { get; } = [];

    /// <summary>The source position of each contact the adds (or the replace) sent, by position in that call, filled as they are sent.</summary>
    public List<long> AddPositions { get; } = [];

    /// <summary>The source position of each contact the updates sent, by position in that call.</summary>
    public List<long> UpdatePositions { get; } = [];

    /// <summary>The spooled contacts whose decision is <paramref name="action"/>, in source order.</summary>
    public IEnumerable<SpooledContact> Spooled(PlanAction action)
    {
        foreach (var spooled in Spool.Read())
        {
            if (Rows.TryGetValue(spooled.Key, out var row) && row.Action == action)
            {
                yield return spooled;
            }
        }
    }

    public void Dispose() => Spool.Dispose();
}
