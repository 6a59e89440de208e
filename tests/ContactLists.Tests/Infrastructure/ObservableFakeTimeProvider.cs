using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Infrastructure;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that lets a test wait until the code under test has armed a timer (a retry
/// delay, a pacing wait, a timeout), so that advancing the clock never races the code it should release.
/// </summary>
public sealed class ObservableFakeTimeProvider : FakeTimeProvider
{
    private readonly object _gate = new();
    // The latest due time each timer was armed with and not yet claimed by a waiter.
    private readonly List<(object Timer, TimeSpan Due)> _armed = [];
    private readonly List<(Func<TimeSpan, bool> Match, TaskCompletionSource<TimeSpan> Done)> _waiters = [];

    public ObservableFakeTimeProvider() : base(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero)) { }

    /// <summary>Due times of the timers armed and not claimed so far.</summary>
    public IReadOnlyList<TimeSpan> DueTimes
    {
        get
        {
            lock (_gate)
            {
                return _armed.Select(a => a.Due).ToArray();
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ObservedTimer(this);
        timer.Inner = base.CreateTimer(callback, state, dueTime, period);
        Armed(timer, dueTime);
        return timer;
    }

    /// <summary>Completes when a timer matching <paramref name="match"/> is armed (or has been, and was not claimed yet).</summary>
    public Task<TimeSpan> WaitForTimerAsync(Func<TimeSpan, bool> match)
    {
        lock (_gate)
        {
            var index = _armed.FindIndex(a => match(a.Due));
            if (index >= 0)
            {
                var due = _armed[index].Due;
                _armed.RemoveAt(index);
                return Task.FromResult(due);
            }

            var done = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((match, done));
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Forgets the timers armed so far.</summary>
    public void ForgetTimers()
    {
        lock (_gate)
        {
            _armed.Clear();
        }
    }

    // Timers are also armed later through Change (CancellationTokenSource.CancelAfter does that), so watch it too;
    // re-arming a timer replaces what was recorded for it.
    private void Armed(ObservedTimer timer, TimeSpan dueTime)
    {
        lock (_gate)
        {
            _armed.RemoveAll(a => ReferenceEquals(a.Timer, timer));
            if (dueTime == Timeout.InfiniteTimeSpan)
            {
                return;
            }

            var waiter = _waiters.FirstOrDefault(w => w.Match(dueTime));
            if (waiter.Done is not null)
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult(dueTime);
                return;
            }

            _armed.Add((timer, dueTime));
        }
    }

    private sealed class ObservedTimer(ObservableFakeTimeProvider owner) : ITimer
    {
        public ITimer Inner { get; set; } = null!;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = Inner.Change(dueTime, period);
            owner.Armed(this, dueTime);
            return changed;
        }

        public void Dispose()
        {
            owner.Armed(this, Timeout.InfiniteTimeSpan);
            Inner.Dispose();
        }

        public ValueTask DisposeAsync()
        {
            owner.Armed(this, Timeout.InfiniteTimeSpan);
            return Inner.DisposeAsync();
        }
    }
}
