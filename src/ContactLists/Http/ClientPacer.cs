using System.Threading.RateLimiting;

namespace ContactLists.Http;

/// <summary>
/// The client-side rate limiters of one registered client (one account), shared by every request and every
/// handler instance of that client, so pacing survives the handler rotation of <c>IHttpClientFactory</c>.
/// </summary>
internal sealed class ClientPacer : IDisposable
{
    private readonly (PacingRule Rule, RateLimiter Limiter)[] _limiters;
    private readonly TimeProvider _timeProvider;
    private readonly object _gate = new();
    private DateTimeOffset _holdUntil = DateTimeOffset.MinValue;

    public ClientPacer(IEnumerable<PacingRule> rules, TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        _limiters = rules.Select(r => (r, (RateLimiter)new SlidingWindowLogRateLimiter(r.PermitLimit, r.Window, timeProvider))).ToArray();
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

    /// <summary>
    /// Waits until every rule that applies to <paramref name="request"/> allows one more request. Dispose the result
    /// when the answer has arrived: each permit counts against its window from then.
    /// </summary>
    public async ValueTask<IDisposable> WaitForTurnAsync(HttpRequestMessage request, CancellationToken cancellationToken)
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

/// <summary>Holds each request until the provider's documented rate limits (and its reported remaining quota) allow it (see <see cref="ClientPacer"/>).</summary>
internal sealed class PacingHandler(ClientPacer pacer, ProviderHttpProfile profile) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The permits are held until the answer arrives, so the provider never sees two requests closer than its window allows.
        using var turn = await pacer.WaitForTurnAsync(request, cancellationToken).ConfigureAwait(false);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        pacer.Observe(profile.ReadRateLimit(response));
        return response;
    }
}
