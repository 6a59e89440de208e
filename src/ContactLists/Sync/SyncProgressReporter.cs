namespace ContactLists;

/// <summary>
/// Turns bulk progress into sync progress: the plan's totals from the first report, answered contacts across the
/// stages, the time the client was held back by the rate limits (wall-clock, concurrent waits counted once), and a time
/// left that is true from the start: the plan's estimate until enough is answered for the measured pace to mean
/// something, then the measured pace, never faster than the documented limits allow for what is left.
/// </summary>
internal sealed class SyncProgressReporter(SyncPlan plan, SyncOptions options, TimeProvider clock, Func<TimeSpan>? pacingWaited)
{
    /// <summary>The measured pace is trusted once this share of the work is answered…</summary>
    private const double TrustedShare = 0.05;

    /// <summary>…and this long has passed (the first window of a rate limit lets a burst through at once).</summary>
    private static readonly TimeSpan TrustedAfter = TimeSpan.FromSeconds(30);

    private readonly long _started = clock.GetTimestamp();
    private readonly TimeSpan _waitedBefore = pacingWaited?.Invoke() ?? TimeSpan.Zero;
    private long _answeredBefore;
    private long _deliveredBefore;
    private long _leftOutBefore;

    public void Report(SyncStage stage, BulkProgress? bulk)
    {
        if (options.OnProgress is null && options.Progress is null)
        {
            return;
        }

        var delivered = _deliveredBefore + (bulk is null ? 0 : bulk.Accepted + bulk.AcceptedForProcessing);
        var leftOut = _leftOutBefore + (bulk is null ? 0 : bulk.Rejected + bulk.NotSent);
        var answered = stage == SyncStage.Done ? plan.ToSend : _answeredBefore + (bulk is null ? 0 : bulk.Accepted + bulk.AcceptedForProcessing + bulk.Rejected + bulk.NotSent);
        var elapsed = clock.GetElapsedTime(_started);
        var report = new SyncProgress(stage, plan.ToSend, answered, delivered, leftOut, elapsed)
        {
            Bulk = bulk,
            EstimatedRemaining = stage == SyncStage.Done ? TimeSpan.Zero : Remaining(answered, elapsed),
            PacingWaited = (pacingWaited?.Invoke() ?? TimeSpan.Zero) - _waitedBefore,
        };
        options.OnProgress?.Invoke(report);
        options.Progress?.Report(report);
    }

    /// <summary>Adds a finished stage's figures to those before the next.</summary>
    public void Done(BulkResult? result)
    {
        if (result is not null)
        {
            _answeredBefore += result.Read;
            _deliveredBefore += result.Accepted + result.AcceptedForProcessing;
            _leftOutBefore += result.Rejected.Count + result.NotSent.Count;
        }
    }

    private TimeSpan? Remaining(long answered, TimeSpan elapsed)
    {
        var left = plan.ToSend - answered;
        if (left <= 0)
        {
            return TimeSpan.Zero;
        }

        // What the documented limits impose on what is left: the plan's estimate, pro rata.
        TimeSpan? paced = plan.Estimate.Duration is { } estimate && plan.ToSend > 0 ? estimate * ((double)left / plan.ToSend) : null;
        if (answered == 0 || answered < plan.ToSend * TrustedShare || elapsed < TrustedAfter)
        {
            return paced;
        }

        var measured = TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)left / answered)));
        return paced is { } floor && floor > measured ? floor : measured;
    }
}
