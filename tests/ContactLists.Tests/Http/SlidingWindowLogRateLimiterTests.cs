using ContactLists.RateLimiting;

namespace ContactLists.Tests.Http;

/// <summary>The pacing limiter: at most N permits in any window, each counted from when its request's answer arrived.</summary>
public sealed class SlidingWindowLogRateLimiterTests
{
    [Fact]
    public async Task A_permit_counts_from_its_release_so_a_slow_request_delays_the_next_window()
    {
        var time = new ObservableFakeTimeProvider();
        using var limiter = new SlidingWindowLogRateLimiter(1, TimeSpan.FromSeconds(10), time);

        var first = await limiter.AcquireAsync(1);
        var second = limiter.AcquireAsync(1).AsTask();
        time.Advance(TimeSpan.FromSeconds(20));
        await Task.Yield();
        second.IsCompleted.Should().BeFalse("the first request has not been answered yet");

        first.Dispose(); // answered at t = 20 s
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10));
        time.Advance(TimeSpan.FromSeconds(9.9));
        await Task.Yield();
        second.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(0.1));

        (await second.WaitAsync(TimeSpan.FromSeconds(30))).IsAcquired.Should().BeTrue();
    }

    [Fact]
    public async Task At_most_the_limit_is_granted_in_any_window()
    {
        var time = new ObservableFakeTimeProvider();
        using var limiter = new SlidingWindowLogRateLimiter(3, TimeSpan.FromSeconds(60), time);

        for (var i = 0; i < 3; i++)
        {
            (await limiter.AcquireAsync(1)).Dispose();
            time.Advance(TimeSpan.FromSeconds(10));
        }

        limiter.AttemptAcquire(1).IsAcquired.Should().BeFalse("three permits were released within the last 60 s");
        time.Advance(TimeSpan.FromSeconds(30)); // t = 60: the first permit (released at t = 0) leaves the window
        limiter.AttemptAcquire(1).IsAcquired.Should().BeTrue();
        limiter.AttemptAcquire(1).IsAcquired.Should().BeFalse();
    }
}
