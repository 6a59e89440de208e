using System.Threading.RateLimiting;

namespace ContactLists.Http;

/// <summary>
/// The client-side rate limiters of one registered client (one account), shared by every request and every
/// handler instance of that client, so pacing survives the handler rotation of <c>IHttpClientFactory</c>.
/// </summary>
internal sealed class ClientPacer : IDisposable
{
    private readonly (PacingRule Rule, RateLimiter Limiter)[] _limiters;

    public ClientPacer(IEnumerable<PacingRule> rules, TimeProvider timeProvider)
    {
        _limiters = rules.Select(r => (r, (RateLimiter)new SlidingWindowLogRateLimiter(r.PermitLimit, r.Window, timeProvider))).ToArray();
    }

    public IReadOnlyList<PacingRule> Rules => _limiters.Select(l => l.Rule).ToArray();

    /// <summary>Waits until every rule that applies to <paramref name="request"/> allows one more request.</summary>
    public async ValueTask WaitForTurnAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (rule, limiter) in _limiters)
        {
            if (!rule.AppliesTo(request))
            {
                continue;
            }

            using var lease = await limiter.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                throw new InvalidOperationException($"The client-side rate limiter '{rule.Name}' refused a permit.");
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

/// <summary>Holds each request until the provider's documented rate limits allow it (see <see cref="ClientPacer"/>).</summary>
internal sealed class PacingHandler(ClientPacer pacer) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await pacer.WaitForTurnAsync(request, cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
