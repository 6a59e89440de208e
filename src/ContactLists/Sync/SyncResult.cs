using System.Globalization;
using System.Text;

namespace ContactLists;

/// <summary>The outcome of a sync: the plan, and the bulk results of applying it (none for a dry run).</summary>
/// <param name="Plan">What was planned.</param>
/// <param name="Added">The result of the adds (or of the replace), when applied.</param>
/// <param name="Removed">The result of the removes, when applied.</param>
public sealed record SyncResult(SyncPlan Plan, BulkResult? Added, BulkResult? Removed)
{
    /// <summary>Contacts added (or put in the list by the replace) over the whole run, an interrupted earlier run's included.</summary>
    public long AddedCount => Plan.Resumed.Added + (Added is null ? 0 : Added.Accepted + Added.AcceptedForProcessing);

    /// <summary>Members removed over the whole run, an interrupted earlier run's included.</summary>
    public long RemovedCount => Plan.Resumed.Removed + (Removed is null ? 0 : Removed.Accepted + Removed.AcceptedForProcessing);

    /// <summary>Whether the provider applies changes after answering (they are accepted for processing, not confirmed).</summary>
    public bool AppliedLater => (Added?.AcceptedForProcessing ?? 0) + (Removed?.AcceptedForProcessing ?? 0) > 0;

    /// <summary>
    /// Every source contact or target member left out: invalid in the source (with its source position), refused by
    /// the provider, or not sent (for a remove, the position is -1 and the contact is the member).
    /// </summary>
    public IReadOnlyList<RejectedContact> LeftOut
    {
        get
        {
            var leftOut = new List<RejectedContact>(Plan.Invalid);
            if (Added is not null)
            {
                leftOut.AddRange(Added.Rejected.Select(r => r with { Index = Plan.ToAddSourceIndexes[(int)r.Index] }));
                leftOut.AddRange(Added.NotSent.Select(n => new RejectedContact(Plan.ToAddSourceIndexes[(int)n.Index], n.Contact, null, "not sent: " + n.Reason, ByProvider: false)));
            }

            if (Removed is not null)
            {
                leftOut.AddRange(Removed.Rejected.Select(r => r with { Index = -1 }));
                leftOut.AddRange(Removed.NotSent.Select(n => new RejectedContact(-1, n.Contact, null, "not removed: " + n.Reason, ByProvider: false)));
            }

            return leftOut;
        }
    }

    /// <summary><see cref="LeftOut"/> counted by reason.</summary>
    public IReadOnlyDictionary<string, long> LeftOutReasons => LeftOut.GroupBy(l => l.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    /// <summary>Fields left out of what was sent (the provider has no place for them), with how many contacts had them.</summary>
    public IReadOnlyDictionary<string, long> FieldsLeftOut => (Added?.DroppedFields ?? Plan.FieldsLeftOut);

    /// <summary>Whether the sync did all it planned: nothing refused by the provider or left unsent (the source's invalid contacts aside).</summary>
    public bool IsComplete => Added is not { IsComplete: false } && Removed is not { IsComplete: false }
        && (Added?.Rejected.Count ?? 0) + (Removed?.Rejected.Count ?? 0) == 0
        && (Added is not null || Plan.ToAdd.Count == 0 || Plan.Resumed.Added > 0)
        && (Removed is not null || Plan.ToRemove.Count == 0 || Plan.Resumed.Removed > 0);

    /// <summary>A summary: what was added and removed, what stayed, what was left out and why.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        if (Added is null && Removed is null && Plan.ToSend > 0)
        {
            return "Dry run: nothing was sent.\n" + Plan;
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"Synced {Plan.Provider} list '{Plan.ListId}' ({(Plan.Mode == SyncMode.Difference ? "by difference" : "by replacing the list")}):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  added: {AddedCount:N0}{(AppliedLater ? " (accepted for processing: the provider applies them after answering)" : string.Empty)}");
        if (Plan.Mode == SyncMode.Difference)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  removed: {RemovedCount:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  unchanged: {Plan.Unchanged:N0}");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicates: {Plan.Duplicates:N0}");
        var leftOut = LeftOutReasons;
        text.Append(CultureInfo.InvariantCulture, $"  left out: {leftOut.Values.Sum():N0}");
        foreach (var (reason, count) in leftOut.OrderByDescending(r => r.Value))
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"    {count:N0} × {reason}");
        }

        foreach (var (field, count) in FieldsLeftOut.OrderByDescending(f => f.Value))
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  field left out: {field} ({count:N0} contacts)");
        }

        return text.ToString();
    }
}
