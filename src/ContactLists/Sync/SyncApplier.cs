using ContactLists.Identity;
using System.Runtime.ExceptionServices;
using ContactLists.Adapters;

namespace ContactLists;

/// <summary>
/// Applies a plan: refuses it before anything is sent when a guard does, records the run in the ledger, then runs the
/// bulk calls (the replace, or the adds, the updates and the removes) over the contacts the plan set aside, and writes
/// each answered batch to the ledger as it is answered, so that a run stopped at any point (Ctrl+C, a killed process)
/// is resumed by planning again: what was answered is not sent again.
/// </summary>
internal sealed class SyncApplier(IContactListClient target, ISyncLedger ledger, TimeProvider clock)
{
    private static readonly BulkOptions DefaultBulk = new() { ContinueOnError = true };

    /// <summary>Ledger changes are written in batches of at most this many entries when nothing is sent for them.</summary>
    private const int RecordChunk = 1_000;

    public async Task<SyncResult> ApplyAsync(SyncPlan plan, SyncOptions options, CancellationToken cancellationToken)
    {
        var book = plan.Book;
        var syncTarget = book.Target ?? throw new InvalidOperationException("The plan names no target.");
        var previous = await ledger.GetRunAsync(syncTarget, cancellationToken).ConfigureAwait(false);
        var started = clock.GetUtcNow();
        var run = new SyncRunRecord
        {
            Provider = target.ProviderName,
            Account = target.ClientName,
            Outcome = SyncRunOutcome.Running,
            StartedAt = started,
            LastCompletedAt = previous?.LastCompletedAt,
            LastFullPassAt = previous?.LastFullPassAt,
            TracksList = true,
            // A replace makes the entries untrustworthy until its first step is answered.
            ReplaceUnconfirmed = plan.Mode == SyncMode.Replace || previous?.ReplaceUnconfirmed == true,
        };
        if (plan.Refusal is { } refusal)
        {
            // Nothing was sent: what the ledger knew of the list stays as it was.
            await ledger.SetRunAsync(syncTarget, run with
            {
                Outcome = SyncRunOutcome.Refused,
                FinishedAt = started,
                Reason = refusal.Reason,
                TracksList = previous?.TracksList == true,
                ReplaceUnconfirmed = previous?.ReplaceUnconfirmed == true,
            }, cancellationToken).ConfigureAwait(false);
            SyncMetrics.Record(target.ProviderName, target.ClientName, plan.ListId, SyncRunOutcome.Refused, null, started, started);
            throw new ContactListSyncRefusedException(plan, refusal);
        }

        await ledger.SetRunAsync(syncTarget, run, cancellationToken).ConfigureAwait(false);
        var writer = new LedgerWriter(ledger, syncTarget);
        var progress = new SyncProgressReporter(plan, options, clock, (target as ContactListClientBase)?.Pacer is { } pacer ? () => pacer.Waited : null);
        progress.Report(SyncStage.Planned, null);
        RecordFound(book, writer, started);

        BulkResult? added = null, updated = null, removed = null;
        var replaceConfirmed = false;
        Exception? stopped = null;
        try
        {
            if (plan.Mode == SyncMode.Replace)
            {
                added = await RunStageAsync(SyncStage.Replacing, plan.Adds, PlanAction.Add, book.AddsLeftOut, (contacts, bulk) => target.ReplaceContactsAsync(plan.ListId, contacts, bulk, cancellationToken), r => added = r, delivered =>
                {
                    // The first answered batch of a replace is its first step: the list held nothing else after it.
                    var reset = !replaceConfirmed;
                    replaceConfirmed = true;
                    writer.Record(new SyncLedgerChanges { Reset = reset, Upserts = delivered(true) });
                    if (reset)
                    {
                        writer.SetRun(run with { ReplaceUnconfirmed = false });
                    }
                }).ConfigureAwait(false);
            }
            else
            {
                if (plan.Adds > 0)
                {
                    added = await RunStageAsync(SyncStage.Adding, plan.Adds, PlanAction.Add, book.AddsLeftOut, (contacts, bulk) => target.AddContactsAsync(plan.ListId, contacts, bulk, cancellationToken), r => added = r,
                        delivered => writer.Record(new SyncLedgerChanges { Upserts = delivered(true) })).ConfigureAwait(false);
                }

                progress.Done(added);
                if (plan.Updates > 0)
                {
                    // A graceful stop between two stages: the next is not started.
                    options.Bulk?.StopSending.ThrowIfCancellationRequested();
                    updated = await RunStageAsync(SyncStage.Updating, plan.Updates, PlanAction.Update, book.UpdatesLeftOut, (contacts, bulk) => target.UpdateContactsAsync(plan.ListId, contacts, bulk, cancellationToken), r => updated = r,
                        delivered => writer.Record(new SyncLedgerChanges { Upserts = delivered(null) })).ConfigureAwait(false);
                }

                progress.Done(updated);
                if (plan.Removes > 0)
                {
                    options.Bulk?.StopSending.ThrowIfCancellationRequested();
                    removed = await RemoveAsync(r => removed = r).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ContactListException)
        {
            stopped = ex;
        }

        // Everything answered is in the ledger before the run is recorded as ended, whatever stopped it.
        await writer.CompleteAsync().ConfigureAwait(false);
        var result = new SyncResult(plan, added, updated, removed);
        var finished = clock.GetUtcNow();
        // Contacts the provider refused (SlickText cannot create one without a mobile number) do not make a run partial:
        // it ran to its end, and they are counted in LeftOut. Contacts left unsent do: the next run sends them.
        var complete = stopped is null && result.RanToEnd;
        var outcome = complete ? SyncRunOutcome.Completed : stopped is null or OperationCanceledException ? SyncRunOutcome.Partial : SyncRunOutcome.Failed;
        await ledger.SetRunAsync(syncTarget, run with
        {
            Outcome = outcome,
            FinishedAt = finished,
            LastCompletedAt = complete ? finished : run.LastCompletedAt,
            LastFullPassAt = complete && plan.FullPass ? finished : run.LastFullPassAt,
            ReplaceUnconfirmed = run.ReplaceUnconfirmed && !replaceConfirmed && (plan.Mode == SyncMode.Replace || previous?.ReplaceUnconfirmed == true),
            Reason = stopped is OperationCanceledException ? "interrupted" : stopped?.Message,
            Added = result.AddedCount,
            Updated = result.UpdatedCount,
            Removed = result.RemovedCount,
            LeftOut = result.LeftOutReasons.Values.Sum(),
        }, CancellationToken.None).ConfigureAwait(false);
        SyncMetrics.Record(target.ProviderName, target.ClientName, plan.ListId, outcome, result, started, finished);
        if (stopped is null)
        {
            progress.Report(SyncStage.Done, null);
        }

        if (stopped is OperationCanceledException canceled)
        {
            throw new ContactListSyncCanceledException(result, canceled);
        }

        if (stopped is not null)
        {
            ExceptionDispatchInfo.Throw(stopped);
        }

        return result;

        // One bulk call over the contacts the plan set aside for it; every answered batch goes to the ledger. Only the
        // contacts read and not yet answered are remembered (a batch or a few), so the cost of a batch never grows.
        async Task<BulkResult> RunStageAsync(SyncStage stage, long count, PlanAction action, Dictionary<long, long> leftOut, Func<IEnumerable<Contact>, BulkOptions, Task<BulkResult>> call, Action<BulkResult> stoppedWith, Action<Func<bool?, IReadOnlyList<SyncLedgerEntry>>> onDelivered)
        {
            var pending = new Dictionary<long, Pending>();
            long read = 0;
            IEnumerable<Contact> Contacts()
            {
                foreach (var spooled in book.Spooled(action))
                {
                    var hash = IdentityHash.Of(spooled.Key);
                    // An e-mail that identifies a contact is kept as it was sent when its case differs from its key.
                    var sentAs = target.Identity == ContactIdentity.Email && spooled.Contact.Email?.Trim() is { } email && !spooled.Key.EndsWith(email, StringComparison.Ordinal)
                        ? email
                        : book.SentAs.GetValueOrDefault(hash);
                    pending[read++] = new Pending(spooled.Key, hash, spooled.SourceIndex, sentAs);
                    // Members read from the list carry the provider's id: their update needs no lookup.
                    yield return action == PlanAction.Update && book.MemberIds.GetValueOrDefault(hash) is { } id ? spooled.Contact with { Id = id } : spooled.Contact;
                }
            }

            var bulk = (options.Bulk ?? DefaultBulk).ForJob(
                count,
                report =>
                {
                    var now = clock.GetUtcNow();
                    var entries = new List<SyncLedgerEntry>(report.Delivered.Count);
                    foreach (var position in report.Delivered)
                    {
                        if (pending.Remove(position, out var one))
                        {
                            var row = book.Rows[one.Hash];
                            entries.Add(new SyncLedgerEntry(one.Key, row.SourceFingerprint, row.Has(RowFacts.AddedBySync), now, one.SentAs));
                        }
                    }

                    foreach (var position in report.NotDelivered)
                    {
                        if (pending.Remove(position, out var one))
                        {
                            leftOut[position] = one.SourceIndex;
                        }
                    }

                    onDelivered(addedBySync => addedBySync is { } added ? [.. entries.Select(e => e with { AddedBySync = added })] : entries);
                },
                report => progress.Report(stage, report));
            try
            {
                return await KeepResultAsync(() => call(Contacts(), bulk), stoppedWith).ConfigureAwait(false);
            }
            finally
            {
                // Contacts read but never in an answered batch (stopped, or the batch being filled): left out, with their row.
                foreach (var (position, one) in pending)
                {
                    leftOut[position] = one.SourceIndex;
                }
            }
        }

        async Task<BulkResult> RemoveAsync(Action<BulkResult> stoppedWith)
        {
            var bulk = (options.Bulk ?? DefaultBulk).ForJob(
                plan.Removals.Count,
                report => writer.Record(new SyncLedgerChanges { Removals = [.. report.Delivered.Select(position => book.RemovalKeys[(int)position])] }),
                report => progress.Report(SyncStage.Removing, report));
            return await KeepResultAsync(() => target.RemoveContactsAsync(plan.ListId, plan.Removals, bulk, cancellationToken), stoppedWith).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// What the ledger learns without anything being sent: members found in the list with the source's fields that it
    /// did not know so (recorded as found, not added), and entries of members found gone that the source does not hold.
    /// </summary>
    private static void RecordFound(PlanBook book, LedgerWriter writer, DateTimeOffset now)
    {
        var upserts = new List<SyncLedgerEntry>();
        foreach (var spooled in book.Spooled(static row => row.Action == PlanAction.Unchanged && !row.Has(RowFacts.MemberDiffers)
            && (!row.Has(RowFacts.InLedger) || (row.Has(RowFacts.LedgerDiffers) && row.Has(RowFacts.MemberCompared)))))
        {
            var hash = IdentityHash.Of(spooled.Key);
            var row = book.Rows[hash];
            upserts.Add(new SyncLedgerEntry(spooled.Key, row.SourceFingerprint, row.Has(RowFacts.AddedBySync), now, book.SentAs.GetValueOrDefault(hash)));
            if (upserts.Count == RecordChunk)
            {
                writer.Record(new SyncLedgerChanges { Upserts = [.. upserts] });
                upserts.Clear();
            }
        }

        var removals = book.Keys.Where(k => book.Rows[k.Key].Action == PlanAction.Forget).Select(k => k.Value).ToList();
        writer.Record(new SyncLedgerChanges { Upserts = upserts, Removals = removals });
    }

    /// <summary>
    /// A bulk call that stops part-way still has a result: a failed batch (or first step of a replace) is reported and
    /// the sync goes on; a stopped call's result is kept (<paramref name="stoppedWith"/>) before the stop goes on up.
    /// </summary>
    private static async Task<BulkResult> KeepResultAsync(Func<Task<BulkResult>> run, Action<BulkResult> stoppedWith)
    {
        try
        {
            return await run().ConfigureAwait(false);
        }
        catch (ContactListBulkException failed) when (failed.InnerException is not ContactListValidationException)
        {
            return failed.Result;
        }
        catch (ContactListBulkCanceledException canceled)
        {
            stoppedWith(canceled.Result);
            throw;
        }
    }

    /// <summary>A contact read for a bulk call and not yet answered: what its answer is recorded with.</summary>
    private readonly record struct Pending(string Key, IdentityHash Hash, long SourceIndex, string? SentAs);
}
