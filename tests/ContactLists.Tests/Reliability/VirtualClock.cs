using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// A fake clock shared by the SDK and the emulator that moves on by itself, <see cref="Step"/> per turn of a pump
/// that yields to the thread pool between steps: retry backoffs, Retry-After waits, open circuit breakers and
/// trickling bodies pass in virtual time, so a run with thousands of them takes seconds, and no test waits for
/// wall-clock time to pass. Timeouts are set long enough in virtual time that real scheduling never trips them.
/// </summary>
public sealed class VirtualClock : FakeTimeProvider, IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;

    public VirtualClock(TimeSpan step) : base(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero))
    {
        Step = step;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>How much virtual time passes per turn of the pump.</summary>
    public TimeSpan Step { get; }

    private async Task PumpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Advance(Step);
            try
            {
                await Task.Delay(1, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _pump;
        _stop.Dispose();
    }
}
