using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace ContactLists.RateLimiting;

/// <summary>
/// A <see cref="RateLimiter"/> that keeps at most <c>permitLimit</c> requests in <em>any</em> window of the given
/// length (a sliding log), on a <see cref="TimeProvider"/>. A permit counts from the moment its lease is disposed —
/// for a request, when its answer arrived — so the window is measured as the server sees it, whatever the latency.
/// </summary>
/// <remarks>
/// Why not the limiters in System.Threading.RateLimiting: a token bucket or fixed window can grant up to twice the
/// limit across a window boundary (and a token bucket that never does runs 10% under the limit at 10/min), so it
/// either meets a provider's 429 or wastes its quota; they count from the grant, so a slow request followed by fast
/// ones can still arrive too close together; and they run on their own timers, which a test cannot drive with a
/// fake clock. This class keeps one entry per permit in the window, which is exact and small. Waiters are served in
/// arrival order.
/// </remarks>
internal sealed class SlidingWindowLogRateLimiter : RateLimiter
{
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly LinkedList<Permit> _permits = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly object _gate = new();
    private TaskCompletionSource _released = NewSignal();
    private long _lastGrantTicks = -1;

    public SlidingWindowLogRateLimiter(int permitLimit, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        _permitLimit = permitLimit;
        _window = window;
        _timeProvider = timeProvider;
    }

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return _lastGrantTicks < 0 ? null : _timeProvider.GetElapsedTime(_lastGrantTicks);
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Prune(_timeProvider.GetUtcNow());
            return new RateLimiterStatistics { CurrentAvailablePermits = _permitLimit - _permits.Count };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        lock (_gate)
        {
            return TryGrant(permitCount, out var lease, out _) ? lease! : Lease.Refused;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        // One waiter at a time, in arrival order: the one at the head waits for the oldest permit to leave the window.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan? wait;
                Task released;
                lock (_gate)
                {
                    if (TryGrant(permitCount, out var lease, out wait))
                    {
                        return lease!;
                    }

                    released = _released.Task;
                }

                // Wait for the oldest finished permit to leave the window, or, when every permit in the window is
                // still in use, for one to be released.
                var delay = wait is { } due ? Task.Delay(due, _timeProvider, cancellationToken) : Task.Delay(Timeout.Infinite, cancellationToken);
                await Task.WhenAny(delay, released).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private bool TryGrant(int permitCount, out RateLimitLease? lease, out TimeSpan? wait)
    {
        var now = _timeProvider.GetUtcNow();
        Prune(now);
        if (_permits.Count + permitCount <= _permitLimit)
        {
            var granted = new Permit[permitCount];
            for (var i = 0; i < permitCount; i++)
            {
                granted[i] = new Permit();
                _permits.AddLast(granted[i]);
            }

            _lastGrantTicks = _timeProvider.GetTimestamp();
            lease = new Lease(this, granted);
            wait = null;
            return true;
        }

        lease = null;
        var oldestReleased = _permits.Where(p => p.ReleasedAt is not null).Select(p => p.ReleasedAt!.Value).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();
        wait = oldestReleased == DateTimeOffset.MaxValue ? null : Max(oldestReleased + _window - now, TimeSpan.FromTicks(1));
        return false;
    }

    private void Release(Permit[] permits)
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            foreach (var permit in permits)
            {
                permit.ReleasedAt ??= now;
            }

            released = _released;
            _released = NewSignal();
        }

        released.TrySetResult();
    }

    private void Prune(DateTimeOffset now)
    {
        // A permit released exactly one window ago no longer counts: the window is half-open, (now - window, now].
        var node = _permits.First;
        while (node is not null)
        {
            var next = node.Next;
            if (node.Value.ReleasedAt is { } released && released + _window <= now)
            {
                _permits.Remove(node);
            }

            node = next;
        }
    }

    private void CheckPermitCount(int permitCount)
    {
        if (permitCount > _permitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"At most {_permitLimit} permits can be granted at once.");
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _turn.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Permit
    {
        public DateTimeOffset? ReleasedAt { get; set; }
    }

    private sealed class Lease(SlidingWindowLogRateLimiter? owner, Permit[] permits) : RateLimitLease
    {
        public static readonly Lease Refused = new(null, []);

        private int _disposed;

        public override bool IsAcquired => owner is not null;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && owner is not null && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Release(permits);
            }

            base.Dispose(disposing);
        }
    }
}
