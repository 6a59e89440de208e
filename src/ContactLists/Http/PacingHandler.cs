namespace ContactLists.Http;

/// <summary>
/// Takes the first attempt's permit before the resilience pipeline starts, so that a pacing wait never counts against
/// the request's timeouts; <see cref="AttemptPacingStrategy"/> hands it to the first attempt and takes a new permit
/// for every retry. Every attempt, first or retried, is paced.
/// </summary>
internal sealed class PacingHandler(ClientPacer pacer) : DelegatingHandler
{
    internal static readonly HttpRequestOptionsKey<FirstTurn> FirstTurnKey = new("ContactLists.FirstTurn");

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var turn = new FirstTurn(await pacer.WaitForTurnAsync(request, cancellationToken).ConfigureAwait(false));
        request.Options.Set(FirstTurnKey, turn);
        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Released here only when no attempt took it (the circuit was open, or the pipeline failed first).
            turn.Take()?.Dispose();
        }
    }

    /// <summary>The first attempt's permit, taken once.</summary>
    internal sealed class FirstTurn(IDisposable lease)
    {
        private IDisposable? _lease = lease;

        public IDisposable? Take() => Interlocked.Exchange(ref _lease, null);
    }
}
