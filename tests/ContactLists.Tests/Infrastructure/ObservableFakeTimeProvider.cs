using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that lets a test wait until the code under test has started a timer
/// (a retry delay, a pacing wait, a timeout), so that advancing the clock never races the code it should release.
/// </summary>
public sealed class ObservableFakeTimeProvider : FakeTimeProvider
{
    private readonly object _gate = new();
    private readonly List<TimeSpan> _dueTimes = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Done)> _waiters = [];

    public ObservableFakeTimeProvider() : base(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)) { }

    /// <summary>Due times of every timer started so far.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return _dueTimes.ToArray();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(base.CreateTimer(callback, state, dueTime, period), this);
        Observe(dueTime);
        return timer;
    }

    // Timers are also armed later through Change (CancellationTokenSource.CancelAfter does that), so watch it too.
    private void Observe(TimeSpan dueTime)
    {
        if (dueTime == Timeout.InfiniteTimeSpan)
        {
            return;
        }

        lock (_gate)
        {
            _dueTimes.Add(dueTime);
            foreach (var waiter in _waiters.Where(w => w.Match(dueTime)).ToArray())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(dueTime);
            }
        }
    }

    private sealed class ObservedTimer(ITimer inner, ObservableFakeTimeProvider owner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            owner.Observe(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>Completes when a timer matching <paramref name="match"/> is started (or has been, since the last call to <see cref="ForgetTimers"/>).</summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        lock (_gate)
        {
            var existing = _dueTimes.FirstOrDefault(match);
            if (_dueTimes.Any(match))
            {
                _dueTimes.Remove(existing);
                return Task.FromResult(existing);
            }

            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Forgets the timers seen so far.</summary>
    public void ForgetTimers()
    {
        lock (_gate)
        {
            _dueTimes.Clear();
        }
    }
}
