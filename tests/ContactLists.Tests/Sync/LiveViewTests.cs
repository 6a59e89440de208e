using ContactLists.Http;
using ContactLists.Sharing;
using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Sync;

/// <summary>
/// Issue 29: the live view tells the truth. The time left is the plan's estimate until enough is answered for the
/// measured pace to mean something, then that pace, never faster than the documented limits allow; the time "held back
/// by the rate limit" is wall-clock time during which a request waited, concurrent waits counted once. On a fake clock.
/// </summary>
public sealed class LiveViewTests
{
    private static SyncPlan Plan(long adds, TimeSpan? estimate) => new(new PlanBook())
    {
        Provider = "SlickText",
        ListId = "3101",
        Mode = SyncMode.Difference,
        Adds = adds,
        Estimate = new SyncEstimate(adds, estimate, "SlickText requests: 240 per 61 s"),
    };

    private static BulkProgress Answered(long contacts, TimeSpan elapsed) => new(contacts, contacts, contacts, 0, 0, 0, 1, elapsed);

    [Fact]
    public void The_time_left_starts_from_the_estimate_and_a_fast_first_window_does_not_make_it_seconds()
    {
        var clock = new ObservableFakeTimeProvider();
        var reports = new List<SyncProgress>();
        var reporter = new SyncProgressReporter(Plan(1_000, TimeSpan.FromMinutes(17)), new SyncOptions { OnProgress = reports.Add }, clock, pacingWaited: null);

        reporter.Report(SyncStage.Planned, null);
        // The first window's 240 requests go at once: 100 contacts answered in 2 s.
        clock.Advance(TimeSpan.FromSeconds(2));
        reporter.Report(SyncStage.Adding, Answered(100, TimeSpan.FromSeconds(2)));
        // A minute in, half done: the measured pace says a minute more, the documented limit says more.
        clock.Advance(TimeSpan.FromSeconds(58));
        reporter.Report(SyncStage.Adding, Answered(500, TimeSpan.FromSeconds(60)));
        // Later, slower than the limits: the measured pace wins.
        clock.Advance(TimeSpan.FromMinutes(29));
        reporter.Report(SyncStage.Adding, Answered(900, TimeSpan.FromMinutes(30)));

        reports[0].EstimatedRemaining.Should().Be(TimeSpan.FromMinutes(17), "nothing answered yet: the plan's estimate");
        reports[1].EstimatedRemaining.Should().Be(TimeSpan.FromMinutes(17) * 0.9, "100 answered in 2 s says nothing yet: the estimate for the 900 left, not 18 s");
        reports[2].EstimatedRemaining.Should().Be(TimeSpan.FromMinutes(17) * 0.5, "never faster than the documented limits allow for the 500 left");
        reports[3].EstimatedRemaining.Should().Be(TimeSpan.FromMinutes(30) / 9, "the measured pace: 30 min for 900, so 100 more take 3 min 20 s");
    }

    [Fact]
    public void Without_a_documented_limit_the_time_left_is_unknown_until_the_pace_is_measured()
    {
        var clock = new ObservableFakeTimeProvider();
        var reports = new List<SyncProgress>();
        var reporter = new SyncProgressReporter(Plan(1_000, estimate: null), new SyncOptions { OnProgress = reports.Add }, clock, pacingWaited: null);

        clock.Advance(TimeSpan.FromSeconds(10));
        reporter.Report(SyncStage.Adding, Answered(100, TimeSpan.FromSeconds(10)));
        clock.Advance(TimeSpan.FromSeconds(30));
        reporter.Report(SyncStage.Adding, Answered(400, TimeSpan.FromSeconds(40)));

        reports[0].EstimatedRemaining.Should().BeNull();
        reports[1].EstimatedRemaining.Should().Be(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task Concurrent_waits_for_the_rate_limit_count_once_as_wall_clock_time()
    {
        var clock = new ObservableFakeTimeProvider();
        var account = new ProviderAccount("SlickText", "texts", "0123456789ABCDEF0123456789ABCDEF");
        using var pacer = new ClientPacer([new PacingRule("SlickText requests", 1, TimeSpan.FromSeconds(10), static _ => true)], account, InProcessRateLimitStore.Instance, clock);
        using var request = new HttpRequestMessage(HttpMethod.Get, "https://dev.slicktext.com/v1/brands");
        var reports = new List<SyncProgress>();
        var reporter = new SyncProgressReporter(Plan(3, TimeSpan.FromSeconds(20)), new SyncOptions { OnProgress = reports.Add }, clock, () => pacer.Waited);

        // Three requests at once with one permit per 10 s: the second waits 10 s, the third 20 s, at the same time.
        (await pacer.WaitForTurnAsync(request, CancellationToken.None)).Dispose();
        var second = pacer.WaitForTurnAsync(request, CancellationToken.None).AsTask();
        var third = pacer.WaitForTurnAsync(request, CancellationToken.None).AsTask();
        // Each permit is released as soon as its request is answered (at once here), so one request goes every 10 s.
        await clock.WaitForTimerAsync(_ => true);
        clock.ForgetTimers();
        clock.Advance(TimeSpan.FromSeconds(10));
        var firstThrough = await Task.WhenAny(second, third);
        (await firstThrough).Dispose();
        await clock.WaitForTimerAsync(_ => true);
        clock.Advance(TimeSpan.FromSeconds(10));
        (await (firstThrough == second ? third : second)).Dispose();
        reporter.Report(SyncStage.Adding, Answered(3, TimeSpan.FromSeconds(20)));

        pacer.Waited.Should().Be(TimeSpan.FromSeconds(20), "the client was held back for 20 s of wall-clock time, not 30 s of summed waits");
        reports.Single().PacingWaited.Should().Be(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_request_waiting_for_its_turn_is_abandoned_unsent_when_its_bulk_call_is_asked_to_stop()
    {
        var clock = new ObservableFakeTimeProvider();
        var account = new ProviderAccount("SlickText", "texts", "0123456789ABCDEF0123456789ABCDEF");
        using var pacer = new ClientPacer([new PacingRule("SlickText requests", 1, TimeSpan.FromSeconds(61), static _ => true)], account, InProcessRateLimitStore.Instance, clock);
        using var request = new HttpRequestMessage(HttpMethod.Post, "https://dev.slicktext.com/v1/brands/1/contacts");
        using var stop = new CancellationTokenSource();
        (await pacer.WaitForTurnAsync(request, CancellationToken.None)).Dispose();

        var waiting = SendingStop.RunAsync(async () => await pacer.WaitForTurnAsync(request, CancellationToken.None), stop.Token);
        await clock.WaitForTimerAsync(_ => true);
        await stop.CancelAsync();
        var abandoned = await FluentActions.Awaiting(() => waiting).Should().ThrowAsync<OperationCanceledException>();
        var next = () => SendingStop.RunAsync(async () => await pacer.WaitForTurnAsync(request, CancellationToken.None), stop.Token);

        abandoned.Which.CancellationToken.Should().Be(stop.Token, "abandoned by the stop, not by the caller's cancellation");
        await next.Should().ThrowAsync<OperationCanceledException>("once stopping, no new request is started");
        clock.Advance(TimeSpan.Zero);
    }
}
