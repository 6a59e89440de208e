using System.Globalization;
using System.Text;

namespace ContactLists;

/// <summary>The outcome of a sync: the plan, and the bulk results of applying it (none for a dry run).</summary>
/// <param name="Plan">What was planned.</param>
/// <param name="Added">The result of the adds (or of the replace), when applied.</param>
/// <param name="Updated">The result of the updates, when applied.</param>
/// <param name="Removed">The result of the removes, when applied.</param>
public sealed record SyncResult(SyncPlan Plan, BulkResult? Added, BulkResult? Updated, BulkResult? Removed)
{
    /// <summary>Contacts added (or put in the list by the replace).</summary>
    public long AddedCount => Delivered(Added);

    /// <summary>Members whose fields were updated.</summary>
    public long UpdatedCount => Delivered(Updated);

    /// <summary>Members removed.</summary>
    public long RemovedCount => Delivered(Removed);

    /// <summary>Whether the provider applies changes after answering (they are accepted for processing, not confirmed).</summary>
    public bool AppliedLater => (Added?.AcceptedForProcessing ?? 0) + (Updated?.AcceptedForProcessing ?? 0) + (Removed?.AcceptedForProcessing ?? 0) > 0;

    /// <summary>Whether it was a dry run (nothing applied).</summary>
    public bool DryRun => Added is null && Updated is null && Removed is null && Plan.ToSend > 0;

    /// <summary>
    /// Every source contact or target member left out: invalid in the source (with its source position), refused by
    /// the provider, or not sent (for a remove, the position is -1 and the contact is the member).
    /// </summary>
    public IReadOnlyList<RejectedContact> LeftOut => [.. Plan.Invalid, .. LeftOutByTheRun()];

    /// <summary><see cref="LeftOut"/> counted by reason.</summary>
    public IReadOnlyDictionary<string, long> LeftOutReasons
    {
        get
        {
            // The plan's rows left out are counted by the plan: a million-row source's are not read back one by one.
            var counts = new Dictionary<string, long>(Plan.InvalidReasons, StringComparer.Ordinal);
            foreach (var left in LeftOutByTheRun())
            {
                counts[left.Category] = counts.GetValueOrDefault(left.Category) + 1;
            }

            return counts;
        }
    }

    /// <summary>What the bulk calls left out: refused by the provider, or not sent.</summary>
    private IEnumerable<RejectedContact> LeftOutByTheRun()
    {
        foreach (var (result, positions) in new[] { (Added, Plan.Book.AddsLeftOut), (Updated, Plan.Book.UpdatesLeftOut) })
        {
            if (result is not null)
            {
                foreach (var rejected in result.Rejected)
                {
                    yield return rejected with { Index = SourceIndex(positions, rejected.Index) };
                }

                foreach (var notSent in result.NotSent)
                {
                    yield return new RejectedContact(SourceIndex(positions, notSent.Index), notSent.Contact, null, "not sent: " + notSent.Reason, ByProvider: false);
                }
            }
        }

        if (Removed is not null)
        {
            foreach (var rejected in Removed.Rejected)
            {
                yield return rejected with { Index = -1 };
            }

            foreach (var notSent in Removed.NotSent)
            {
                yield return new RejectedContact(-1, notSent.Contact, null, "not removed: " + notSent.Reason, ByProvider: false);
            }
        }
    }

    /// <summary>Fields left out of what was sent (no place for them, or invalid beside a valid identity), with how many contacts had them.</summary>
    public IReadOnlyDictionary<string, long> FieldsLeftOut => Added?.DroppedFields is { Count: > 0 } || Updated?.DroppedFields is { Count: > 0 }
        ? (Added?.DroppedFields ?? Empty).Concat(Updated?.DroppedFields ?? Empty).GroupBy(f => f.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(f => f.Value), StringComparer.Ordinal)
        : Plan.FieldsLeftOut;

    /// <summary>Whether the sync did all it planned: nothing refused by the provider or left unsent (the source's invalid contacts aside).</summary>
    public bool IsComplete => Complete(Added, Plan.Adds) && Complete(Updated, Plan.Updates) && Complete(Removed, Plan.Removes);

    /// <summary>A summary: what was added, updated and removed, what stayed, what was left out and why.</summary>
    public override string ToString()
    {
        if (DryRun)
        {
            return "Dry run: nothing was sent.\n" + Plan;
        }

        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Synced {Plan.Provider} list '{Plan.ListId}' ({(Plan.Mode == SyncMode.Difference ? "by difference" : "by replacing the list")}):");
        text.AppendLine(CultureInfo.InvariantCulture, $"  added: {AddedCount:N0}{(AppliedLater ? " (accepted for processing: the provider applies them after answering)" : string.Empty)}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  updated: {UpdatedCount:N0}");
        if (Plan.Mode == SyncMode.Difference)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  removed: {RemovedCount:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  unchanged: {Plan.Unchanged:N0}");
        }

        if (Plan.Kept > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  kept: {Plan.Kept:N0} (not added by a sync)");
        }

        if (Plan.OptedOut > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  opted out on {Plan.Provider}: {Plan.OptedOut:N0} (they stay opted out)");
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

    private static readonly Dictionary<string, long> Empty = [];

    private static long Delivered(BulkResult? result) => result is null ? 0 : result.Accepted + result.AcceptedForProcessing;

    /// <summary>Whether every stage ran to its end: each contact planned was delivered or refused by the provider, none left unsent.</summary>
    internal bool RanToEnd => Ended(Added, Plan.Adds) && Ended(Updated, Plan.Updates) && Ended(Removed, Plan.Removes);

    private static bool Complete(BulkResult? result, long planned) => Ended(result, planned) && (result is null || result.Rejected.Count == 0);

    private static bool Ended(BulkResult? result, long planned) => result is null ? planned == 0 : result.IsComplete;

    private static long SourceIndex(Dictionary<long, long> leftOut, long position) => leftOut.GetValueOrDefault(position, -1);
}
