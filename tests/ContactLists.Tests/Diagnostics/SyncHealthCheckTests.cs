using ContactLists.Redis;
using ContactLists.Tests.ScaleOut;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Diagnostics;

/// <summary>
/// Issue 30: <c>AddContactListSyncHealthCheck</c> reads the last run the ledger recorded: healthy while syncs run to
/// their end often enough (and while one is under way), failing when the last success is too old or none is recorded,
/// or the last run was refused, part-way or failed; with the figures in its data. On Redis it sees another instance's runs.
/// </summary>
public sealed class SyncHealthCheckTests
{
    private const string ListId = "4411";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 9, 0, 0, TimeSpan.Zero);

    private static SyncRunRecord Run(SyncRunOutcome outcome, double hoursAgo, double? completedHoursAgo, string? reason = null) => new()
    {
        Provider = "Whippy",
        Account = "marketing",
        Outcome = outcome,
        StartedAt = Now.AddHours(-hoursAgo),
        FinishedAt = outcome == SyncRunOutcome.Running ? null : Now.AddHours(-hoursAgo).AddMinutes(5),
        LastCompletedAt = completedHoursAgo is { } h ? Now.AddHours(-h) : null,
        Reason = reason,
        Added = 120,
        Updated = 7,
        Removed = 3,
        LeftOut = 2,
    };

    public static TheoryData<string, SyncRunRecord?, HealthStatus, string> States() => new()
    {
        { "never ran", null, HealthStatus.Unhealthy, "No sync of Whippy list '4411' (marketing) has been recorded." },
        { "ran last night", Run(SyncRunOutcome.Completed, 7, 6.9), HealthStatus.Healthy, "ran to its end 6 h 54 min ago: 120 added, 7 updated, 3 removed, 2 left out" },
        { "last success too old", Run(SyncRunOutcome.Completed, 30, 30), HealthStatus.Unhealthy, "finished 30 h 0 min ago, more than the 26 h 0 min allowed" },
        { "refused", Run(SyncRunOutcome.Refused, 7, 31, "the sync would remove 4,092 of the list's 4,102 members"), HealthStatus.Unhealthy, "was refused by a guard: the sync would remove 4,092" },
        { "part-way", Run(SyncRunOutcome.Partial, 7, 31, "interrupted"), HealthStatus.Unhealthy, "ended part-way (interrupted); the next run resumes it" },
        { "failed", Run(SyncRunOutcome.Failed, 7, 31, "Whippy refused the API key"), HealthStatus.Unhealthy, "failed: Whippy refused the API key" },
        { "running", Run(SyncRunOutcome.Running, 0.5, 24.5), HealthStatus.Healthy, "is running (since 30 min); the last ran to its end 24 h 30 min ago" },
        { "never completed", Run(SyncRunOutcome.Running, 0.5, null), HealthStatus.Unhealthy, "No sync of Whippy list '4411' (marketing) has run to its end." },
    };

    [Theory]
    [MemberData(nameof(States))]
    public async Task The_check_reports_the_last_run(string state, SyncRunRecord? run, HealthStatus expected, string description)
    {
        await using var provider = Build(b => { });
        if (run is not null)
        {
            await Ledger(provider).SetRunAsync(Target(provider), run);
        }

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["contactlists-sync:marketing:4411"];

        entry.Status.Should().Be(expected, state);
        entry.Description.Should().Contain(description);
        entry.Data.Should().Contain("provider", "Whippy").And.Contain("list", ListId);
        if (run is not null)
        {
            entry.Data.Should().Contain("outcome", run.Outcome.ToString()).And.Contain("added", 120L).And.Contain("leftOut", 2L);
        }
    }

    [Fact]
    public async Task A_failing_check_reports_the_status_it_was_given()
    {
        await using var provider = Build(b => { }, HealthStatus.Degraded);

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries["contactlists-sync:marketing:4411"].Status.Should().Be(HealthStatus.Degraded);
    }

    [Fact]
    public async Task On_Redis_it_sees_the_run_another_instance_recorded()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var worker = Build(b => b.UseRedisSyncLedger(redis.Configuration));
        await using var web = Build(b => b.UseRedisSyncLedger(redis.Configuration));
        await Ledger(worker).SetRunAsync(Target(worker), Run(SyncRunOutcome.Refused, 2, 26, "an empty source while the list has 4,102 members"));

        var entry = (await web.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["contactlists-sync:marketing:4411"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("an empty source");
    }

    [Fact]
    public void A_wrong_registration_is_refused_at_once()
    {
        var health = new ServiceCollection().AddHealthChecks();

        ((Action)(() => health.AddContactListSyncHealthCheck("marketing", ListId, TimeSpan.Zero))).Should().Throw<ArgumentOutOfRangeException>().WithParameterName("maxAge");
        ((Action)(() => health.AddContactListSyncHealthCheck(" ", ListId, TimeSpan.FromHours(26)))).Should().Throw<ArgumentException>().WithParameterName("clientName");
    }

    private static ServiceProvider Build(Action<ContactListsBuilder> ledger, HealthStatus? failureStatus = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        services.AddContactLists(b =>
        {
            b.AddWhippy("marketing", o => o.ApiKey = "whippy-key");
            ledger(b);
        });
        services.AddHealthChecks().AddContactListSyncHealthCheck("marketing", ListId, TimeSpan.FromHours(26), failureStatus: failureStatus);
        return services.BuildServiceProvider();
    }

    private static ISyncLedger Ledger(IServiceProvider provider) => provider.GetRequiredService<ISyncLedger>();

    private static SyncTarget Target(IServiceProvider provider)
        => new ContactListSync(provider.GetRequiredService<IContactListClientFactory>().GetClient("marketing"), Ledger(provider)).TargetOf(ListId);
}
