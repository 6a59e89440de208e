using System.Threading.Channels;
using ContactLists;
using Cronos;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace NightlySync;

/// <summary>How one run of the job ended.</summary>
/// <param name="StartedAt">When it started.</param>
/// <param name="Outcome">Completed, Partial (stopped: the next occurrence resumes it), Refused (a guard) or Failed.</param>
/// <param name="Result">What the sync did, when it got that far.</param>
/// <param name="Reason">Why it did not complete.</param>
public sealed record NightlySyncRun(DateTimeOffset StartedAt, SyncRunOutcome Outcome, SyncResult? Result, string? Reason);

/// <summary>The job's timeline, for whoever watches it in process (a status page, a test): the next occurrence, and each run as it ends.</summary>
public sealed class NightlySyncRuns
{
    private readonly Channel<NightlySyncRun> _ended = Channel.CreateUnbounded<NightlySyncRun>();
    private readonly Channel<DateTimeOffset> _scheduled = Channel.CreateUnbounded<DateTimeOffset>();

    /// <summary>Each run, as it ends.</summary>
    public ChannelReader<NightlySyncRun> Ended => _ended.Reader;

    /// <summary>Each occurrence the job waits for, as it starts waiting.</summary>
    public ChannelReader<DateTimeOffset> Scheduled => _scheduled.Reader;

    internal void Add(NightlySyncRun run) => _ended.Writer.TryWrite(run);

    internal void Schedule(DateTimeOffset at) => _scheduled.Writer.TryWrite(at);
}

/// <summary>
/// Runs the sync at each occurrence of the schedule. A stop (SIGTERM, Ctrl+C) sends no new batch, lets those already
/// sent be answered for <see cref="NightlySyncOptions.StopGrace"/>, and leaves the run in the ledger as part-way: the
/// next occurrence resumes it, sending nothing that was answered. A run that fails is logged and the job waits for the
/// next occurrence; the health check says so meanwhile.
/// </summary>
internal sealed partial class NightlySyncWorker(
    IOptions<NightlySyncOptions> options,
    IContactListClientFactory clients,
    ISyncLedger ledger,
    ICustomerSource source,
    NightlySyncRuns runs,
    HealthCheckService health,
    TimeProvider clock,
    ILogger<NightlySyncWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var schedule = CronExpression.Parse(settings.Schedule);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (schedule.GetNextOccurrence(now, zone) is not { } next)
            {
                LogNoOccurrence(settings.Schedule);
                return;
            }

            // The wait is set before it is announced, so that whoever moves the clock on after the announcement is heard.
            var wait = Task.Delay(next - now, clock, stoppingToken);
            runs.Schedule(next);
            LogWaiting(next);
            try
            {
                await wait;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await RunOnceAsync(settings, stoppingToken);
        }
    }

    private async Task RunOnceAsync(NightlySyncOptions settings, CancellationToken stoppingToken)
    {
        var started = clock.GetUtcNow();
        var client = clients.GetClient(settings.Account);
        var sync = new ContactListSync(client, ledger, clock);

        // A stop sends no new batch at once (StopSending); the batches already sent get StopGrace to be answered.
        using var hardStop = new CancellationTokenSource(Timeout.InfiniteTimeSpan, clock);
        using var onStop = stoppingToken.Register(() => hardStop.CancelAfter(settings.StopGrace));
        var syncOptions = new SyncOptions
        {
            Bulk = new BulkOptions { DefaultRegion = settings.Region, ContinueOnError = true, StopSending = stoppingToken },
            Removal = settings.Removal,
            MaxRemovals = SyncLimit.Parse(settings.MaxRemovals),
            FullPassAfter = settings.FullPassAfter,
        };

        NightlySyncRun run;
        try
        {
            LogStarting(client.ProviderName, settings.ListId!, settings.Source);
            // The plan only reads: a stop ends it at once. The apply stops as described above.
            using var plan = await sync.PlanAsync(settings.ListId!, source.ReadAsync(stoppingToken), syncOptions, stoppingToken);
            var result = await sync.ApplyAsync(plan, syncOptions, hardStop.Token);
            LogSynced(client.ProviderName, settings.ListId!, result.AddedCount, result.UpdatedCount, result.RemovedCount, result.LeftOut.Count);
            // How the run ended is the ledger's to say (contacts the provider refused do not make it part-way; unsent ones do).
            var recorded = await ledger.GetRunAsync(sync.TargetOf(settings.ListId!), CancellationToken.None);
            run = new NightlySyncRun(started, recorded?.Outcome ?? SyncRunOutcome.Completed, result, recorded?.Reason);
        }
        catch (ContactListSyncRefusedException refused)
        {
            // Nothing was sent. The health check reports it until someone accepts it (the option is in the message) or fixes the source.
            LogRefused(refused.Refusal.Reason, refused.Refusal.Accept);
            run = new NightlySyncRun(started, SyncRunOutcome.Refused, null, refused.Refusal.Reason);
        }
        catch (ContactListSyncCanceledException stopped)
        {
            LogStopped(stopped.Result.AddedCount, stopped.Result.UpdatedCount, stopped.Result.RemovedCount);
            run = new NightlySyncRun(started, SyncRunOutcome.Partial, stopped.Result, "stopped");
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while planning: nothing was sent.
            LogStopped(0, 0, 0);
            run = new NightlySyncRun(started, SyncRunOutcome.Partial, null, "stopped");
        }
        catch (Exception ex) when (ex is ContactListException or IOException)
        {
            // The account refused, the provider is down, the export is missing: the next occurrence tries again.
            LogFailed(ex.GetType().Name, ex.Message);
            run = new NightlySyncRun(started, SyncRunOutcome.Failed, null, ex.Message);
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            var report = await health.CheckHealthAsync(stoppingToken);
            LogHealth(report.Status, string.Join(" ", report.Entries.Values.Select(e => e.Description)));
        }

        runs.Add(run);
    }

    [LoggerMessage(1, LogLevel.Information, "Next sync at {Next:u}.")]
    private partial void LogWaiting(DateTimeOffset next);

    [LoggerMessage(2, LogLevel.Information, "Syncing {Source} into {Provider} list {ListId}.")]
    private partial void LogStarting(string provider, string listId, string source);

    [LoggerMessage(3, LogLevel.Information, "Synced {Provider} list {ListId}: {Added} added, {Updated} updated, {Removed} removed, {LeftOut} left out.")]
    private partial void LogSynced(string provider, string listId, long added, long updated, long removed, int leftOut);

    [LoggerMessage(4, LogLevel.Error, "The sync was refused by a guard, nothing was sent: {Reason} To accept it: {Accept}")]
    private partial void LogRefused(string reason, string accept);

    [LoggerMessage(5, LogLevel.Warning, "The sync was stopped part-way ({Added} added, {Updated} updated, {Removed} removed so far); the next occurrence resumes it.")]
    private partial void LogStopped(long added, long updated, long removed);

    [LoggerMessage(6, LogLevel.Error, "The sync failed ({Error}): {Message} The next occurrence tries again.")]
    private partial void LogFailed(string error, string message);

    [LoggerMessage(7, LogLevel.Information, "Health: {Status}. {Description}")]
    private partial void LogHealth(HealthStatus status, string description);

    [LoggerMessage(8, LogLevel.Error, "The schedule '{Schedule}' has no next occurrence: the job ends.")]
    private partial void LogNoOccurrence(string schedule);
}
