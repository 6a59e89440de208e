using System.Diagnostics.CodeAnalysis;
using System.Threading.RateLimiting;
using ContactLists.Sharing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>
/// Paces every process that uses one provider account against one budget kept in Redis: a sliding-window log per
/// rate limit of the account, updated by a server-side script in one round trip per permit.
/// </summary>
internal sealed class RedisRateLimitStore(RedisConnection connection, RedisSharingOptions options, ILogger logger) : IRateLimitStore
{
    public RateLimiter CreateLimiter(AccountRateLimit limit, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(limit);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new RedisSlidingWindowRateLimiter(connection, limit, options, timeProvider, logger);
    }
}

/// <summary>
/// The sliding-window log of one limit in a Redis sorted set. A permit is an entry scored with the moment it stops
/// counting against the window's start: while its request is under way, its grant time plus
/// <see cref="RedisSharingOptions.PermitHoldLimit"/> (so a process that dies mid-request does not hold it forever);
/// once its answer arrived, the moment it arrived. Times are Redis's own clock, so instances' clocks do not matter.
/// When Redis is unreachable, permits come from an in-process limiter at <see cref="RedisSharingOptions.FallbackShare"/>
/// of the limit until Redis answers again.
/// </summary>
internal sealed partial class RedisSlidingWindowRateLimiter : RateLimiter
{
    // KEYS[1]: the log. ARGV: window ms, limit, hold ms, member. Returns {1, 0} when granted, {0, wait ms} when not
    // (-1: every permit in the window is still in use, so ask again shortly).
    // (Plain EVAL with KEYS/ARGV, not LuaScript's named parameters, which need reflection and are not AOT-safe.)
    private const string Acquire = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window = tonumber(ARGV[1])
        local hold = tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
        if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
          redis.call('ZADD', KEYS[1], now + hold, ARGV[4])
          redis.call('PEXPIRE', KEYS[1], window + hold)
          return {1, 0}
        end
        local oldest = tonumber(redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2])
        if oldest > now then
          return {0, -1}
        end
        return {0, oldest + window - now}
        """;

    // The answer arrived: the permit counts from now (only if it is still there; an expired one is not revived).
    private const string Release = """
        if redis.call('ZSCORE', KEYS[1], ARGV[1]) then
          local t = redis.call('TIME')
          redis.call('ZADD', KEYS[1], tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000), ARGV[1])
        end
        return 0
        """;

    private readonly RedisConnection _connection;
    private readonly AccountRateLimit _limit;
    private readonly RedisSharingOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly RedisKey _key;
    private readonly RateLimiter _fallback;
    private readonly int _fallbackLimit;
    private readonly object _gate = new();
    private long _nextProbe = long.MinValue;
    private bool _inFallback;
    private int _probing;

    public RedisSlidingWindowRateLimiter(RedisConnection connection, AccountRateLimit limit, RedisSharingOptions options, TimeProvider timeProvider, ILogger logger)
    {
        _connection = connection;
        _limit = limit;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _key = options.PacingKey(limit);
        _fallbackLimit = Math.Max(1, (int)Math.Floor(limit.PermitLimit * options.FallbackShare));
        _fallback = InProcessRateLimitStore.Instance.CreateLimiter(limit with { PermitLimit = _fallbackLimit }, timeProvider);
    }

    public override TimeSpan? IdleDuration => null;

    public override RateLimiterStatistics? GetStatistics() => null;

    protected override RateLimitLease AttemptAcquireCore(int permitCount)
        => throw new NotSupportedException("The shared limiter only waits for permits (AcquireAsync); it never blocks a thread on Redis.");

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (permitCount != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(permitCount), permitCount, "The shared limiter grants one permit at a time.");
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (UsingFallback())
            {
                // Sends never wait for Redis while it is away: a probe in the background brings sharing back.
                StartProbeIfDue();
                return await _fallback.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }

            var member = Guid.NewGuid().ToString("N");
            RedisResult[] answer;
            IDatabase database;
            try
            {
                database = await _connection.DatabaseAsync(_options.OperationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                var result = await database.ScriptEvaluateAsync(Acquire, [_key],
                    [(long)Math.Ceiling(_limit.Window.TotalMilliseconds), _limit.PermitLimit, (long)_options.PermitHoldLimit.TotalMilliseconds, member])
                    .WaitAsync(_options.OperationTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
                answer = (RedisResult[])result!;
            }
            catch (Exception ex) when (RedisFailures.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
            {
                EnterFallback(ex);
                continue;
            }

            LeaveFallback();
            if ((long)answer[0] == 1)
            {
                return new SharedLease(this, database, member);
            }

            var waitMs = (long)answer[1];
            var wait = waitMs < 0 ? _options.PermitPollInterval : TimeSpan.FromMilliseconds(Math.Max(1, waitMs));
            await Task.Delay(wait, _timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private bool UsingFallback()
    {
        lock (_gate)
        {
            return _inFallback;
        }
    }

    /// <summary>At most once per <see cref="RedisSharingOptions.RetryRedisAfter"/>, asks Redis (in the background) whether it is back.</summary>
    private void StartProbeIfDue()
    {
        lock (_gate)
        {
            if (_timeProvider.GetTimestamp() < _nextProbe || _probing == 1)
            {
                return;
            }

            _probing = 1;
            _nextProbe = _timeProvider.GetTimestamp() + (long)(_options.RetryRedisAfter.TotalSeconds * _timeProvider.TimestampFrequency);
        }

        _ = ProbeAsync();
    }

    private async Task ProbeAsync()
    {
        try
        {
            var database = await _connection.DatabaseAsync(_options.OperationTimeout, _timeProvider, CancellationToken.None).ConfigureAwait(false);
            await database.PingAsync().WaitAsync(_options.OperationTimeout, _timeProvider).ConfigureAwait(false);
            LeaveFallback();
        }
        catch (Exception ex) when (RedisFailures.IsUnreachable(ex))
        {
            // Still away: pace in-process until the next probe.
        }
        finally
        {
            lock (_gate)
            {
                _probing = 0;
            }
        }
    }

    private void EnterFallback(Exception failure)
    {
        bool first;
        lock (_gate)
        {
            first = !_inFallback;
            _inFallback = true;
            _nextProbe = _timeProvider.GetTimestamp() + (long)(_options.RetryRedisAfter.TotalSeconds * _timeProvider.TimestampFrequency);
        }

        if (first)
        {
            LogFallback(_logger, _limit.RuleName, _limit.Account, _fallbackLimit, _limit.Window, failure.GetType().Name);
        }
    }

    private void LeaveFallback()
    {
        lock (_gate)
        {
            if (!_inFallback)
            {
                return;
            }

            _inFallback = false;
        }

        LogBack(_logger, _limit.RuleName, _limit.Account);
    }

    private void Released(IDatabase database, string member)
    {
        try
        {
            // Fire and forget: the answer is not awaited. If it never arrives, the permit counts until its hold ends.
            database.ScriptEvaluate(Release, [_key], [member], CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (RedisFailures.IsUnreachable(ex))
        {
            // Counted as held until PermitHoldLimit: conservative, never over the limit.
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _fallback.Dispose();
        }

        base.Dispose(disposing);
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Redis did not answer ({Failure}); pacing '{Rule}' of {Account} in this process at {FallbackLimit} per {Window} until it does.")]
    private static partial void LogFallback(ILogger logger, string rule, ProviderAccount account, int fallbackLimit, TimeSpan window, string failure);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Information, Message = "Redis answers again; pacing '{Rule}' of {Account} is shared again.")]
    private static partial void LogBack(ILogger logger, string rule, ProviderAccount account);

    private sealed class SharedLease(RedisSlidingWindowRateLimiter owner, IDatabase database, string member) : RateLimitLease
    {
        private int _disposed;

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, [NotNullWhen(true)] out object? metadata)
        {
            metadata = null;
            return false;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Released(database, member);
            }

            base.Dispose(disposing);
        }
    }
}
