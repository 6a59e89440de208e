namespace ContactLists.Emulator;

/// <summary>
/// The emulator's rate-limit check: at most N requests in any window (a sliding log, the strictest reading of a
/// documented "N per minute"), so that a client that passes here passes a provider counting any other way.
/// </summary>
internal sealed class EmulatorRateLimiter(int limit, TimeSpan window, TimeProvider timeProvider)
{
    private readonly Queue<DateTimeOffset> _hits = new();
    private readonly object _gate = new();

    /// <summary>Records a request if allowed; otherwise says how long until one would be.</summary>
    public bool TryAcquire(out TimeSpan retryAfter) => TryAcquire(out retryAfter, out _);

    /// <summary>Records a request if allowed, and says how many more the window allows; otherwise how long until one would be.</summary>
    public bool TryAcquire(out TimeSpan retryAfter, out int remaining)
    {
        lock (_gate)
        {
            var now = timeProvider.GetUtcNow();
            while (_hits.Count > 0 && _hits.Peek() + window <= now)
            {
                _hits.Dequeue();
            }

            if (_hits.Count < limit)
            {
                _hits.Enqueue(now);
                retryAfter = TimeSpan.Zero;
                remaining = limit - _hits.Count;
                return true;
            }

            retryAfter = _hits.Peek() + window - now;
            remaining = 0;
            return false;
        }
    }
}
