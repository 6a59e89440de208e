using System.Globalization;
using System.Text;

namespace ContactLists;

/// <summary>
/// Everything a sync will do, known before anything is sent: what is added, updated and removed (or that the list is
/// replaced), what stays, what is kept because the sync did not add it, the duplicates, what is left out and why, the
/// fields the provider has no place for, the source contacts the provider holds as opted out, whether a guard refuses
/// it, and the requests and time it will take at the provider's documented limits. <see cref="ToString"/> reads as a
/// report. A large plan keeps the contacts it will send in a temporary file only its process can read: dispose the plan
/// (or let <see cref="ContactListSync.SyncAsync"/> do it) to release it at once.
/// </summary>
public sealed class SyncPlan : IDisposable
{
    internal SyncPlan(PlanBook book) => Book = book;

    /// <summary>The decisions and the contacts set aside, for the apply.</summary>
    internal PlanBook Book { get; }

    /// <summary>The target provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The target list (for a plan of a new list, its name until it is created).</summary>
    public required string ListId { get; init; }

    /// <summary>How the target is made equal to the source.</summary>
    public required SyncMode Mode { get; init; }

    /// <summary>Why this mode: the target's members can be read, the ledger knows them, or why the list is replaced.</summary>
    public string? ModeReason { get; init; }

    /// <summary>Whether this is a full pass (every member sent or compared again, whatever the ledger says).</summary>
    public bool FullPass { get; init; }

    /// <summary>Which members the sync may remove.</summary>
    public SyncRemoval Removal { get; init; }

    /// <summary>Contacts read from the source (blank ones not counted).</summary>
    public long SourceCount { get; init; }

    /// <summary>Source items with nothing in them (a blank line of a file, say): not contacts, ignored.</summary>
    public long Blank { get; init; }

    /// <summary>Source contacts whose identity came earlier in the source: each identity is synced once, with its first contact.</summary>
    public long Duplicates { get; init; }

    /// <summary>The target's members before the sync, where they could be read or counted; <see langword="null"/> when the provider gives no way.</summary>
    public long? TargetCount { get; init; }

    /// <summary>How many members the sync ledger knew the list to hold; <see langword="null"/> when it does not know the list (a first sync).</summary>
    public long? LedgerCount { get; init; }

    /// <summary>Source contacts to add (for a <see cref="SyncMode.Replace"/>, every valid source contact).</summary>
    public long Adds { get; init; }

    /// <summary>Members whose fields changed since they were last sent, to update.</summary>
    public long Updates { get; init; }

    /// <summary>Members whose fields changed but cannot be updated on this account (Octopush with <c>DoNotOverwrite</c>).</summary>
    public long UpdatesNotPossible { get; init; }

    /// <summary>Members the source does not hold, to remove (none in a <see cref="SyncMode.Replace"/>, where the replace removes them).</summary>
    public long Removes { get; init; }

    /// <summary>Source contacts already in the target with the same fields: nothing is sent for them.</summary>
    public long Unchanged { get; init; }

    /// <summary>Members the source does not hold that are kept: not added by a sync (with <see cref="SyncRemoval.Added"/>), or any (with <see cref="SyncRemoval.None"/>).</summary>
    public long Kept { get; init; }

    /// <summary>Members the ledger knew that the list no longer holds (removed in the provider's app, say): added again when the source holds them.</summary>
    public long Drifted { get; init; }

    /// <summary>
    /// For a replace: how many members it removes at most (every member the source does not hold), when that can be
    /// told; <see langword="null"/> when the list can neither be read nor counted and the ledger does not know it.
    /// </summary>
    public long? ReplaceRemovesAtMost { get; init; }

    /// <summary>Source contacts the provider holds as opted out (read with the list's members): synced, they stay opted out.</summary>
    public long OptedOut { get; init; }

    /// <summary>The members to remove, each with the identity it is removed by (and the provider's id, where it was read).</summary>
    public IReadOnlyList<Contact> Removals { get; init; } = [];

    /// <summary>Source contacts the target cannot take, left out, each with its source position and reason.</summary>
    public IReadOnlyList<RejectedContact> Invalid { get; init; } = [];

    /// <summary><see cref="Invalid"/> counted by <see cref="RejectedContact.Category"/>.</summary>
    public IReadOnlyDictionary<string, long> InvalidReasons => Invalid is CompactRejects compact
        ? compact.Categories
        : Invalid.GroupBy(i => i.Category, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal);

    /// <summary>
    /// Fields of the contacts to send that are left out (the contact still sent), with how many contacts have them: a
    /// field the provider has no place for (<c>Email</c> on Octopush), or an invalid one beside a valid identity
    /// (<c>Email (not valid)</c>).
    /// </summary>
    public IReadOnlyDictionary<string, long> FieldsLeftOut { get; init; } = new Dictionary<string, long>();

    /// <summary>When the last run into this list started, if it stopped part-way: this plan finishes it (what it sent is not sent again).</summary>
    public DateTimeOffset? ResumesRunStartedAt { get; init; }

    /// <summary>The guard that refuses this plan, and why; <see langword="null"/> when it may be applied.</summary>
    public SyncRefusal? Refusal { get; internal set; }

    /// <summary>The requests the sync will send and how long they take at the provider's documented limits.</summary>
    public SyncEstimate Estimate { get; init; } = SyncEstimate.None;

    /// <summary>How many contacts the sync sends: adds, updates and removes, or the replace's.</summary>
    public long ToSend => Adds + Updates + Removes;

    /// <summary>The contacts the plan adds (or replaces the list with), as the source gave them, read back from the plan.</summary>
    public IEnumerable<Contact> ContactsToAdd => Book.Spooled(PlanAction.Add).Select(s => s.Contact);

    /// <summary>The contacts the plan updates, as the source gave them, read back from the plan.</summary>
    public IEnumerable<Contact> ContactsToUpdate => Book.Spooled(PlanAction.Update).Select(s => s.Contact);

    /// <summary>Releases the contacts set aside for the apply (a temporary file, for a large plan). The figures stay readable.</summary>
    public void Dispose() => Book.Dispose();

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

        if (LedgerCount is { } known)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  ledger: {known:N0} members sent by earlier syncs");
        }

        if (ResumesRunStartedAt is { } resumed)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  resuming the run of {resumed:u}, which stopped part-way: what it sent is not sent again");
        }

        if (Mode == SyncMode.Difference)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  add:       {Adds:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  update:    {Updates:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  remove:    {Removes:N0}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  unchanged: {Unchanged:N0}");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"  replace with: {Adds:N0} contacts; everyone else in the list leaves");
            text.AppendLine(ReplaceRemovesAtMost is { } most
                ? string.Create(CultureInfo.InvariantCulture, $" (at most {most:N0})")
                : " (the provider cannot say how many that is)");
        }

        if (Kept > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  kept: {Kept:N0} members not in the source, {(Removal == SyncRemoval.None ? "as nothing is removed" : "not added by a sync")}");
        }

        if (Drifted > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  drift: {Drifted:N0} members the ledger knew are gone from the list (removed outside the sync)");
        }

        if (UpdatesNotPossible > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  fields changed but not updated: {UpdatesNotPossible:N0} ({Provider} is set not to overwrite contacts)");
        }

        if (OptedOut > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  opted out on {Provider}: {OptedOut:N0} (in the list, they stay opted out: the sync never changes consent)");
        }

        text.AppendLine(CultureInfo.InvariantCulture, $"  duplicates: {Duplicates:N0} (each identity is synced once)");
        text.AppendLine(CultureInfo.InvariantCulture, $"  left out: {Invalid.Count:N0}");
        foreach (var (reason, count) in InvalidReasons.OrderByDescending(r => r.Value))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"    {count:N0} × {reason}");
        }

        foreach (var (field, count) in FieldsLeftOut.OrderByDescending(f => f.Value))
        {
            text.AppendLine(field.EndsWith(')')
                ? string.Create(CultureInfo.InvariantCulture, $"  field left out: {field}: {count:N0} contacts (sent without it)")
                : string.Create(CultureInfo.InvariantCulture, $"  field left out: {field} ({count:N0} contacts; {Provider} has no place for it)"));
        }

        text.Append("  ").Append(Estimate);
        if (Refusal is { } refusal)
        {
            text.AppendLine().Append(CultureInfo.InvariantCulture, $"  REFUSED ({refusal.Guard}): {refusal.Reason}");
        }

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
