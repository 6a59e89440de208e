using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactLists;

/// <summary>
/// What each applied sync reports on the <c>ContactLists</c> meter, tagged with the provider, the account and the list:
/// the contacts it added, updated, removed and left out (by reason category), how long it ran and how it ended, and
/// when the last sync of the list that ran to its end finished (in this process; a health check that sees every
/// instance reads the ledger: <see cref="ContactListSyncHealthCheckExtensions.AddContactListSyncHealthCheck"/>).
/// </summary>
internal static class SyncMetrics
{
    internal const string ChangeTag = "contactlists.sync.change";
    internal const string ReasonTag = "contactlists.sync.reason";

    private static readonly Counter<long> Contacts = ContactListsTelemetry.Meter.CreateCounter<long>(
        "contactlists.sync.contacts", "{contact}", "Contacts a sync added, updated, removed or left out (tag contactlists.sync.change; left out also contactlists.sync.reason).");

    private static readonly Histogram<double> Duration = ContactListsTelemetry.Meter.CreateHistogram<double>(
        "contactlists.sync.duration", "s", "Time from applying a sync's plan to its end (tag contactlists.outcome: completed, partial, failed, refused).");

    /// <summary>The end of the last sync of each list that ran to its end, as Unix seconds (provider, account, list).</summary>
    private static readonly ConcurrentDictionary<(string Provider, string Account, string List), DateTimeOffset> LastSuccess = new();

    // Created with the other instruments, the first time a sync is recorded; observed by whoever listens.
    private static readonly ObservableGauge<long> LastSuccessGauge = ContactListsTelemetry.Meter.CreateObservableGauge(
        "contactlists.sync.last_success", ObserveLastSuccess, "s", "When the last sync of a list that ran to its end finished, in Unix seconds (this process's syncs).");

    /// <summary>Records one applied (or refused) sync.</summary>
    public static void Record(string provider, string account, string listId, SyncRunOutcome outcome, SyncResult? result, DateTimeOffset started, DateTimeOffset finished)
    {
        var tags = Tags(provider, account, listId);
        var ended = tags;
        ended.Add(ContactListsTelemetry.OutcomeTag, outcome.ToString().ToLowerInvariant());
        Duration.Record(Math.Max(0, (finished - started).TotalSeconds), ended);
        if (outcome == SyncRunOutcome.Completed)
        {
            LastSuccess[(provider, account, listId)] = finished;
        }

        if (result is null)
        {
            return;
        }

        Add(tags, "added", result.AddedCount);
        Add(tags, "updated", result.UpdatedCount);
        Add(tags, "removed", result.RemovedCount);
        foreach (var (reason, count) in result.LeftOutReasons)
        {
            var leftOut = tags;
            leftOut.Add(ReasonTag, reason);
            Add(leftOut, "left_out", count);
        }
    }

    private static void Add(TagList tags, string change, long count)
    {
        if (count > 0)
        {
            tags.Add(ChangeTag, change);
            Contacts.Add(count, tags);
        }
    }

    private static TagList Tags(string provider, string account, string listId)
    {
        var tags = ContactListsTelemetry.AccountTags(provider, account);
        tags.Add(ContactListsTelemetry.ListTag, listId);
        return tags;
    }

    private static IEnumerable<Measurement<long>> ObserveLastSuccess()
    {
        foreach (var ((provider, account, list), at) in LastSuccess)
        {
            yield return new Measurement<long>(at.ToUnixTimeSeconds(), Tags(provider, account, list));
        }
    }
}
