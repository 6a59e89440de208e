using ContactLists.Bulk;

namespace ContactLists.Retries;

/// <summary>
/// The batch layer's retries, beside the classifier they ask (<see cref="Failures"/>): while the client's circuit
/// breaker is open nothing is sent, so a batch waits it out and is sent again (up to
/// <see cref="BulkOptions.MaxCircuitBreakerWaits"/> times); a batch the pipeline could not repeat itself (a write that
/// may have been applied, <see cref="Failures.ResendBatch"/>) is sent again after a backoff, and so are the contacts of
/// an answered batch whose resolution failed that way, up to <see cref="BulkOptions.MaxBatchRetries"/> times per
/// batch. Anything else ends the batch at once, with its typed error.
/// </summary>
internal static class BatchResend
{
    private static readonly Dictionary<string, long> NoCounts = [];

    /// <summary>Sends one batch, with the retries above. Never throws: the outcome says whether the batch was started, and whether the caller cancelled.</summary>
    public static async Task<BulkEngine.Outcome> SendAsync(BulkRun run, BulkBatch batch, CancellationToken cancellationToken)
    {
        var breakerWaits = 0;
        var retries = 0;
        while (true)
        {
            try
            {
                // Every request of the batch sees the call's graceful stop: it stops between requests, not only between batches.
                var response = await Http.SendingStop.RunAsync(() => run.Send(batch, cancellationToken), run.Options.StopSending).ConfigureAwait(false);
                return new(await ResendUnresolvedAsync(run, batch, response, retries, cancellationToken).ConfigureAwait(false), null, true, false);
            }
            catch (OperationCanceledException ex) when (run.Options.StopSending.IsCancellationRequested && ex.CancellationToken == run.Options.StopSending)
            {
                // Stopping: the batch's request waited for its turn and was abandoned unsent.
                return new(null, ex, false, true);
            }
            catch (ContactListTransientException ex) when (Failures.WaitForCircuit(ex) is { } wait && breakerWaits < run.Options.MaxCircuitBreakerWaits)
            {
                breakerWaits++;
                if (!await WaitAsync(wait, run, cancellationToken).ConfigureAwait(false))
                {
                    return new(null, new OperationCanceledException(cancellationToken), true, true);
                }
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                return new(null, ex, true, true);
            }
#pragma warning disable CA1031 // Any failure of one batch is recorded on that batch; the run returns its result.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!Failures.ResendBatch(ex) || retries >= run.Options.MaxBatchRetries)
                {
                    return new(null, ex, true, false);
                }

                retries++;
                if (!await WaitAsync(RetryDelay(run, retries), run, cancellationToken).ConfigureAwait(false))
                {
                    return new(null, ex, true, true);
                }
            }
        }
    }

    /// <summary>
    /// Sends again, as a batch of their own, the contacts of an answered batch whose lookup or creation failed
    /// transiently, while the batch's retry budget lasts, and merges what they got into the batch's answer.
    /// </summary>
    private static async Task<BatchResponse> ResendUnresolvedAsync(BulkRun run, BulkBatch batch, BatchResponse response, int retries, CancellationToken cancellationToken)
    {
        while (response.Unresolved is { Count: > 0 } unresolved && retries < run.Options.MaxBatchRetries && unresolved.Any(u => Failures.ResendBatch(u.Error))
            && !run.Options.StopSending.IsCancellationRequested)
        {
            retries++;
            if (!await WaitAsync(RetryDelay(run, retries), run, cancellationToken).ConfigureAwait(false))
            {
                return response;
            }

            var positions = unresolved.Where(u => Failures.ResendBatch(u.Error)).Select(u => u.Position).ToArray();
            var again = new BulkBatch(batch.Index, positions.Select(p => batch.Contacts[p]).ToArray(), positions.Select(p => batch.InputIndexes[p]).ToArray()) { Call = batch.Call };
            try
            {
                response = Merge(response, positions, await Http.SendingStop.RunAsync(() => run.Send(again, cancellationToken), run.Options.StopSending).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (run.Options.StopSending.IsCancellationRequested)
            {
                return response;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return response;
            }
            catch (Exception ex) when (Failures.ResendBatch(ex))
            {
                // Still failing: the next turn tries again, while the budget lasts.
            }
        }

        return response;
    }

    /// <summary>The answer to a batch, with what a resend of some of its positions got.</summary>
    private static BatchResponse Merge(BatchResponse first, int[] positions, BatchResponse again)
    {
        int Map(int position) => positions[position];
        var resent = positions.ToHashSet();
        return first with
        {
            Status = first.Status == BatchStatus.AcceptedForProcessing || again.Status == BatchStatus.AcceptedForProcessing ? BatchStatus.AcceptedForProcessing : BatchStatus.Accepted,
            RejectedByProvider = [.. first.RejectedByProvider ?? [], .. (again.RejectedByProvider ?? []).Select(r => (Map(r.Position), r.Reason))],
            Unresolved = [.. (first.Unresolved ?? []).Where(u => !resent.Contains(u.Position)), .. (again.Unresolved ?? []).Select(u => (Map(u.Position), u.Error))],
            MemberIds = [.. first.MemberIds ?? [], .. again.MemberIds ?? []],
            ProviderCounts = first.ProviderCounts is null && again.ProviderCounts is null
                ? null
                : (first.ProviderCounts ?? NoCounts).Concat(again.ProviderCounts ?? NoCounts).GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal),
            RateLimit = again.RateLimit ?? first.RateLimit,
        };
    }

    /// <summary><see cref="BulkOptions.BatchRetryDelay"/>, doubled per retry (at most 32 times it), with up to a fifth more at random.</summary>
    private static TimeSpan RetryDelay(BulkRun run, int retry)
    {
        var delay = run.Options.BatchRetryDelay * Math.Pow(2, Math.Min(retry - 1, 5));
        return delay + (delay * (Random.Shared.NextDouble() / 5));
    }

    /// <summary>Waits on the run's clock; <see langword="false"/> when the caller cancelled meanwhile.</summary>
    private static async Task<bool> WaitAsync(TimeSpan wait, BulkRun run, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, run.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
