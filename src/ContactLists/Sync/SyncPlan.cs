using System.Globalization;
using System.Text;

namespace ContactLists;

/// <summary>
/// Everything a sync will do, known before anything is sent: what is added and removed (or that the list is replaced),
/// what stays, the duplicates, what is left out and why, the fields the provider has no place for, and the requests
/// and time it will take at the provider's documented limits. <see cref="ToString"/> reads as a report.
/// </summary>
public sealed class SyncPlan
{
    /// <summary>The target provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The target list.</summary>
    public required string ListId { get; init; }

    /// <summary>How the target is made equal to the source.</summary>
    public required SyncMode Mode { get; init; }

    /// <summary>Why this mode: the target's members can be read, or why they cannot.</summary>
    public string? ModeReason { get; init; }

    /// <summary>Contacts read from the source (blank ones not counted).</summary>
    public long SourceCount { get; init; }

    /// <summary>Source items with nothing in them (a blank line of a file, say): not contacts, ignored.</summary>
    public long Blank { get; init; }

    /// <summary>Source contacts already in the target (by identity), not sent.</summary>
    public long Unchanged { get; init; }

    /// <summary>Source contacts whose identity came earlier in the source: each identity is synced once, with its first contact.</summary>
    public long Duplicates { get; init; }

    /// <summary>The target's members before the sync, where they could be read or counted; <see langword="null"/> when the provider gives no way.</summary>
    public long? TargetCount { get; init; }

    /// <summary>Source contacts to add to the target (in <see cref="SyncMode.Replace"/>, every valid source contact), as given.</summary>
    public IReadOnlyList<Contact> ToAdd { get; init; } = [];

    /// <summary>The source position of each contact of <see cref="ToAdd"/>.</summary>
    public IReadOnlyList<long> ToAddSourceIndexes { get; init; } = [];

    /// <summary>The identity each contact of <see cref="ToAdd"/> is compared by (as checked: a national number in E.164), for the checkpoint.</summary>
    internal IReadOnlyList<string> ToAddKeys { get; init; } = [];

    /// <summary>The identity of each member of <see cref="ToRemove"/>, for the checkpoint.</summary>
    internal IReadOnlyList<string> ToRemoveKeys { get; init; } = [];

    /// <summary>Target members the source does not hold, to remove (empty in <see cref="SyncMode.Replace"/>, where the replace removes them).</summary>
    public IReadOnlyList<Contact> ToRemove { get; init; } = [];

    /// <summary>Source contacts the target cannot take, left out, each with its source position and reason.</summary>
    public IReadOnlyList<RejectedContact> Invalid { get; init; } = [];

    /// <summary><see cref="Invalid"/> counted by <see cref="RejectedContact.Category"/>.</summary>
    public IReadOnlyDictionary<string, long> InvalidReasons => Invalid.GroupBy(i => i.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    /// <summary>Fields of the contacts to send that the provider has no place for (left out, the contact still sent), with how many contacts have them.</summary>
    public IReadOnlyDictionary<string, long> FieldsLeftOut { get; init; } = new Dictionary<string, long>();

    /// <summary>Contacts an earlier, interrupted run already had answered (from <see cref="SyncOptions.Checkpoint"/>): added, and removed.</summary>
    public (long Added, long Removed) Resumed { get; init; }

    /// <summary>The requests the sync will send and how long they take at the provider's documented limits.</summary>
    public SyncEstimate Estimate { get; init; } = SyncEstimate.None;

    /// <summary>How many contacts the sync sends: adds and removes, or the replace's.</summary>
    public long ToSend => ToAdd.Count + ToRemove.Count;

    /// <summary>The plan as a report, one figure per line.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"Sync into {Provider} list '{ListId}': {(Mode == SyncMode.Difference ? "by difference" : "by replacing the list")}");
        text.AppendLine(ModeReason is null ? "." : $" ({ModeReason}).");
        text.Append(CultureInfo.InvariantCulture, $"  source: {SourceCount:N0} contacts read");
        text.AppendLine(Blank > 0 ? string.Create(CultureInfo.InvariantCulture, $" ({Blank:N0} blank lines ignored)") : string.Empty);
        if (TargetCount is { } members)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  target: {members:N0} members now");
        }

        if (Mode == SyncMode.Difference)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  add:       {ToAdd.Count:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  remove:    {ToRemove.Count:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  unchanged: {Unchanged:N0}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  replace with: {ToAdd.Count:N0} contacts; everyone else in the list leaves");
            text.AppendLine(TargetCount is { } count
                ? string.Create(CultureInfo.InvariantCulture, $" (the list holds {count:N0} now)")
                : " (the provider cannot say how many that is)");
        }

        if (Resumed.Added + Resumed.Removed > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  resumed: {Resumed.Added:N0} added and {Resumed.Removed:N0} removed by the interrupted run, not sent again");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicates: {Duplicates:N0} (each identity is synced once)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  left out: {Invalid.Count:N0}");
        foreach (var (reason, count) in InvalidReasons.OrderByDescending(r => r.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {count:N0} × {reason}");
        }

        foreach (var (field, count) in FieldsLeftOut.OrderByDescending(f => f.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  field left out: {field} ({count:N0} contacts; {Provider} has no place for it)");
        }

        text.Append("  ").Append(Estimate);
        return text.ToString();
    }
}

/// <summary>The requests a sync will send and the time they take at the provider's documented rate limits.</summary>
/// <param name="Requests">Requests in all (at most: lookups of contacts the provider already knows are counted as creates too where it cannot be known beforehand).</param>
/// <param name="Duration">The time the documented limits impose (network time not counted); <see langword="null"/> when the provider documents no limit.</param>
/// <param name="Basis">What the time is based on, such as <c>SlickText's 240 requests a minute</c>.</param>
public sealed record SyncEstimate(long Requests, TimeSpan? Duration, string Basis)
{
    /// <summary>Nothing to send.</summary>
    public static SyncEstimate None { get; } = new(0, TimeSpan.Zero, "nothing to send");

    /// <summary>One line, such as <c>estimated: 2,040 requests, about 8 min 30 s at SlickText's 240 requests a minute</c>.</summary>
    public override string ToString() => Duration switch
    {
        { } none when none == TimeSpan.Zero => string.Create(CultureInfo.InvariantCulture, $"estimated: {Requests:N0} requests, within {Basis} (no wait for the limit)"),
        { } duration => string.Create(CultureInfo.InvariantCulture, $"estimated: {Requests:N0} requests, about {Format(duration)} at {Basis}"),
        null => string.Create(CultureInfo.InvariantCulture, $"estimated: {Requests:N0} requests ({Basis})"),
    };

    /// <summary>A duration as people say it: <c>13 h 36 min</c>, <c>2 min 30 s</c>, <c>4 s</c>.</summary>
    public static string Format(TimeSpan duration) => duration.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalHours} h {duration.Minutes} min")
        : duration.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)duration.TotalMinutes} min {duration.Seconds} s")
            : string.Create(CultureInfo.InvariantCulture, $"{Math.Ceiling(duration.TotalSeconds)} s");
}
