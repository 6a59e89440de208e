using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace ContactLists;

/// <summary>Registers a health check of a sync job: is a list's sync running to its end, often enough?</summary>
public static class ContactListSyncHealthCheckExtensions
{
    /// <summary>
    /// Adds a health check, named <c>contactlists-sync:{client name}:{list id}</c> unless <paramref name="name"/> says
    /// otherwise, that reads the last run of the list's sync from the sync ledger of the service container
    /// (<see cref="ISyncLedger"/>: on Redis it sees every instance's runs). It reports <paramref name="failureStatus"/>
    /// when the last sync that ran to its end is older than <paramref name="maxAge"/> (or there is none), or when the
    /// last run was refused by a guard, ended part-way or failed; healthy otherwise, also while a run is under way.
    /// Its data holds the provider, account, list, the last run's outcome, times and counts, and the reason.
    /// </summary>
    /// <param name="builder">The health-checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="clientName">The account the sync writes to, as registered with <c>AddContactLists</c>.</param>
    /// <param name="listId">The list the sync keeps.</param>
    /// <param name="maxAge">How old the last sync that ran to its end may be: for a nightly job, a day and some margin (such as 26 hours).</param>
    /// <param name="name">The check's name; default <c>contactlists-sync:{client name}:{list id}</c>.</param>
    /// <param name="failureStatus">The status of a failing check; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for the check, such as <c>jobs</c>.</param>
    public static IHealthChecksBuilder AddContactListSyncHealthCheck(this IHealthChecksBuilder builder, string clientName, string listId, TimeSpan maxAge, string? name = null, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        if (maxAge <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(maxAge), maxAge, "The age the last sync may have must be positive.");
        }

        return builder.Add(new HealthCheckRegistration(
            name ?? $"contactlists-sync:{clientName}:{listId}",
            services => new ContactListSyncHealthCheck(services, clientName, listId, maxAge),
            failureStatus,
            tags));
    }
}

/// <summary>The health of one list's sync, from the run its ledger recorded last.</summary>
internal sealed class ContactListSyncHealthCheck(IServiceProvider services, string clientName, string listId, TimeSpan maxAge) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var client = services.GetRequiredService<IContactListClientFactory>().GetClient(clientName);
        var ledger = services.GetRequiredService<ISyncLedger>();
        var now = (services.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
        var run = await ledger.GetRunAsync(new ContactListSync(client, ledger).TargetOf(listId), cancellationToken).ConfigureAwait(false);
        var list = $"{client.ProviderName} list '{listId}' ({clientName})";
        var data = new Dictionary<string, object>
        {
            ["provider"] = client.ProviderName,
            ["account"] = clientName,
            ["list"] = listId,
            ["maxAge"] = maxAge.ToString("c", CultureInfo.InvariantCulture),
        };
        if (run is null)
        {
            return Fail($"No sync of {list} has been recorded.");
        }

        data["outcome"] = run.Outcome.ToString();
        data["startedAt"] = Time(run.StartedAt);
        Add("finishedAt", run.FinishedAt is { } finished ? Time(finished) : null);
        Add("lastCompletedAt", run.LastCompletedAt is { } lastCompleted ? Time(lastCompleted) : null);
        Add("reason", run.Reason);
        data["added"] = run.Added;
        data["updated"] = run.Updated;
        data["removed"] = run.Removed;
        data["leftOut"] = run.LeftOut;
        var sinceCompleted = run.LastCompletedAt is { } completed ? Age(now - completed) : null;
        var problem = run.Outcome switch
        {
            SyncRunOutcome.Refused => $"The last sync of {list} was refused by a guard: {run.Reason}",
            SyncRunOutcome.Partial => $"The last sync of {list} ended part-way ({run.Reason ?? "contacts were not sent"}); the next run resumes it.",
            SyncRunOutcome.Failed => $"The last sync of {list} failed: {run.Reason}",
            _ when run.LastCompletedAt is null => $"No sync of {list} has run to its end.",
            _ when now - run.LastCompletedAt > maxAge => $"The last sync of {list} that ran to its end finished {sinceCompleted} ago, more than the {Age(maxAge)} allowed.",
            _ => null,
        };
        if (problem is not null)
        {
            return Fail(problem);
        }

        return HealthCheckResult.Healthy(
            run.Outcome == SyncRunOutcome.Running
                ? $"A sync of {list} is running (since {Age(now - run.StartedAt)}); the last ran to its end {sinceCompleted} ago."
                : $"The last sync of {list} ran to its end {sinceCompleted} ago: {run.Added:N0} added, {run.Updated:N0} updated, {run.Removed:N0} removed, {run.LeftOut:N0} left out.",
            data);

        HealthCheckResult Fail(string description) => new(context.Registration.FailureStatus, description, data: data);

        void Add(string key, object? value)
        {
            if (value is not null)
            {
                data[key] = value;
            }
        }
    }

    private static string Time(DateTimeOffset time) => time.ToString("O", CultureInfo.InvariantCulture);

    private static string Age(TimeSpan age) => age.TotalHours >= 1
        ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours} h {age.Minutes} min")
        : string.Create(CultureInfo.InvariantCulture, $"{Math.Max(0, (int)age.TotalMinutes)} min");
}
