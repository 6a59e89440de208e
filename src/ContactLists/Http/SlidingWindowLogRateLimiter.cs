using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;

namespace ContactLists.Http;

/// <summary>
/// A <see cref="RateLimiter"/> that grants at most <c>permitLimit</c> permits in <em>any</em> window of the given length
/// (a sliding log), on a <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// Why not the limiters in System.Threading.RateLimiting: a token bucket or fixed window can grant up to twice the
/// limit across a window boundary (and a token bucket that never does runs 10% under the limit at 10/min), so it
/// either meets a provider's 429 or wastes its quota; and they run on their own timers, which a test cannot drive
/// with a fake clock. This class keeps the grant times of the last <c>permitLimit</c> permits, which is exact and
/// small. Waiters are served in arrival order.
/// </remarks>
internal sealed class SlidingWindowLogRateLimiter : RateLimiter
{
    private readonly int _permitLimit;
    private readonly TimeSpan _window;
    private readonly TimeProvider _timeProvider;
    private readonly Queue<DateTimeOffset> _grants = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly object _gate = new();
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
            return new RateLimiterStatistics { CurrentAvailablePermits = _permitLimit - _grants.Count };
        }
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        CheckPermitCount(permitCount);
        lock (_gate)
        {
            return TryGrant(permitCount, out _) ? Lease.Granted : Lease.Refused;
        }
    }

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        CheckPermitCount(permitCount);
        // One waiter at a time, in arrival order: the one at the head waits for the oldest grant to leave the window.
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                TimeSpan wait;
                lock (_gate)
                {
                    if (TryGrant(permitCount, out wait))
                    {
                        return Lease.Granted;
                    }
                }

                await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    private bool TryGrant(int permitCount, out TimeSpan wait)
    {
        var now = _timeProvider.GetUtcNow();
        Prune(now);
        if (_grants.Count + permitCount <= _permitLimit)
        {
            for (var i = 0; i < permitCount; i++)
            {
                _grants.Enqueue(now);
            }

            _lastGrantTicks = _timeProvider.GetTimestamp();
            wait = TimeSpan.Zero;
            return true;
        }

        // The permits free up when enough of the oldest grants have left the window.
        var release = _grants.ElementAt(_grants.Count + permitCount - _permitLimit - 1) + _window;
        wait = release - now;
        if (wait <= TimeSpan.Zero)
        {
            wait = TimeSpan.FromTicks(1);
        }

        return false;
    }

    private void Prune(DateTimeOffset now)
    {
        // A grant made exactly one window ago no longer counts: the window is half-open, (now - window, now].
        while (_grants.Count > 0 && _grants.Peek() + _window <= now)
        {
            _grants.Dequeue();
        }
    }

    private void CheckPermitCount(int permitCount)
    {
        if (permitCount > _permitLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, $"At most {_permitLimit} permits can be granted at once.");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _turn.Dispose();
        }

        base.Dispose(disposing);
    }

    private sealed class Lease : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        private Lease(bool isAcquired) => IsAcquired = isAcquired;

        public override bool IsAcquired { get; }

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
