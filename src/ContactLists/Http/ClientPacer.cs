using System.Threading.RateLimiting;
using ContactLists.Sharing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactLists.Http;

/// <summary>
/// The client-side rate limiters of one registered client (one account), shared by every request and every
/// handler instance of that client, so pacing survives the handler rotation of <c>IHttpClientFactory</c>.
/// </summary>
internal sealed partial class ClientPacer : IDisposable
{
    private readonly ILogger _logger;
    private readonly (PacingRule Rule, RateLimiter Limiter)[] _limiters;
    private readonly TimeProvider _timeProvider;
    private readonly object _gate = new();
    private DateTimeOffset _holdUntil = DateTimeOffset.MinValue;

    /// <summary>Creates the limiters of <paramref name="account"/>'s rules in <paramref name="store"/> (in process, or shared).</summary>
    public ClientPacer(IEnumerable<PacingRule> rules, ProviderAccount account, IRateLimitStore store, TimeProvider timeProvider, ILogger? logger = null)
    {
        _timeProvider = timeProvider;
        _logger = logger ?? NullLogger.Instance;
        Account = account;
        _limiters = rules.Select(r => (r, store.CreateLimiter(new AccountRateLimit(account, r.Name, r.PermitLimit, r.Window), timeProvider))).ToArray();
    }

    /// <summary>
    /// Takes in the rate-limit state the provider reported: when it says no request is left in its window, every
    /// request of this client waits until the window resets, instead of meeting a 429.
    /// </summary>
    public void Observe(RateLimitInfo? rateLimit)
    {
        if (rateLimit is { Remaining: <= 0, ResetAfter: { } reset } && reset > TimeSpan.Zero)
        {
            var until = _timeProvider.GetUtcNow() + reset;
            lock (_gate)
            {
                if (until > _holdUntil)
                {
                    _holdUntil = until;
                }
            }
        }
    }

    public IReadOnlyList<PacingRule> Rules => _limiters.Select(l => l.Rule).ToArray();

    /// <summary>The account these limits belong to (for telemetry and shared stores).</summary>
    public ProviderAccount Account { get; }

    /// <summary>The clock pacing and request durations run on.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>
    /// Waits until every rule that applies to <paramref name="request"/> allows one more request. Dispose the result
    /// when the answer has arrived: each permit counts against its window from then.
    /// </summary>
    public async ValueTask<IDisposable> WaitForTurnAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A bulk call asked to stop sends no new request, and abandons those still waiting for their turn (unsent).
        var stop = SendingStop.Current;
        if (stop.IsCancellationRequested)
        {
            throw SendingStop.Abandoned();
        }

        var started = _timeProvider.GetTimestamp();
        StartWaiting(started);
        Leases leases;
        using var waitOrStop = stop.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stop) : null;
        try
        {
            leases = await WaitCoreAsync(request, waitOrStop?.Token ?? cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw SendingStop.Abandoned();
        }
        finally
        {
            StopWaiting();
        }

        if (leases.Count > 0)
        {
            var waited = _timeProvider.GetElapsedTime(started);
            ContactListsTelemetry.PacingWait.Record(waited.TotalSeconds, ContactListsTelemetry.AccountTags(Account.ProviderName, Account.ClientName));
            if (waited >= NoticeableWait)
            {
                LogPacingWait(_logger, request.Method.Method, request.RequestUri?.AbsolutePath, waited, Account.ClientName);
            }
        }

        return leases;
    }

    /// <summary>
    /// The wall-clock time during which at least one request of this client waited for the rate limits: concurrent
    /// waits count once, so that it says how long the client was held back, not the sum of its requests' waits.
    /// </summary>
    public TimeSpan Waited
    {
        get
        {
            lock (_waitGate)
            {
                return _waited + (_waiting > 0 ? _timeProvider.GetElapsedTime(_waitingSince) : TimeSpan.Zero);
            }
        }
    }

    private readonly object _waitGate = new();
    private int _waiting;
    private long _waitingSince;
    private TimeSpan _waited;

    private void StartWaiting(long now)
    {
        lock (_waitGate)
        {
            if (_waiting++ == 0)
            {
                _waitingSince = now;
            }
        }
    }

    private void StopWaiting()
    {
        lock (_waitGate)
        {
            if (--_waiting == 0)
            {
                // Waits shorter than the noticeable are the ordinary cost of asking the limiters, not a hold-back.
                var waited = _timeProvider.GetElapsedTime(_waitingSince);
                _waited += waited >= NoticeableWait ? waited : TimeSpan.Zero;
            }
        }
    }

    /// <summary>Waits shorter than this are not logged: they are the ordinary cost of asking the limiters.</summary>
    private static readonly TimeSpan NoticeableWait = TimeSpan.FromMilliseconds(10);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "{Method} {Path} waited {Wait} for the rate limits of client '{Client}'.")]
    private static partial void LogPacingWait(ILogger logger, string method, string? path, TimeSpan wait, string client);

    private async ValueTask<Leases> WaitCoreAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        TimeSpan hold;
        lock (_gate)
        {
            hold = _holdUntil - _timeProvider.GetUtcNow();
        }

        if (hold > TimeSpan.Zero)
        {
            await Task.Delay(hold, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        var leases = new Leases();
        try
        {
            foreach (var (rule, limiter) in _limiters)
            {
                if (!rule.AppliesTo(request))
                {
                    continue;
                }

                var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
                leases.Add(lease);
                if (!lease.IsAcquired)
                {
                    throw new InvalidOperationException($"The client-side rate limiter '{rule.Name}' refused a permit.");
                }
            }
        }
        catch
        {
            leases.Dispose();
            throw;
        }

        return leases;
    }

    private sealed class Leases : List<RateLimitLease>, IDisposable
    {
        public void Dispose()
        {
            foreach (var lease in this)
            {
                lease.Dispose();
            }
        }
    }

    public void Dispose()
    {
        foreach (var (_, limiter) in _limiters)
        {
            limiter.Dispose();
        }
    }
}
