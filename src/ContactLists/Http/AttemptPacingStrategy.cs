using Polly;

namespace ContactLists.Http;

/// <summary>
/// Paces each attempt inside the resilience pipeline (after the circuit breaker, before the attempt timeout): the
/// first attempt uses the permit <see cref="PacingHandler"/> took; a retry waits for a new one, so retries never
/// exceed the provider's rate limit. Each permit counts from its answer; the provider's reported quota is observed.
/// </summary>
internal sealed class AttemptPacingStrategy(ClientPacer pacer, ProviderHttpProfile profile) : Polly.ResilienceStrategy<HttpResponseMessage>
{
    protected override async ValueTask<Polly.Outcome<HttpResponseMessage>> ExecuteCore<TState>(
        Func<Polly.ResilienceContext, TState, ValueTask<Polly.Outcome<HttpResponseMessage>>> callback, Polly.ResilienceContext context, TState state)
    {
        var request = context.GetRequestMessage();
        IDisposable? turn = null;
        if (request is not null && request.Options.TryGetValue(PacingHandler.FirstTurnKey, out var first))
        {
            turn = first.Take();
        }

        // An attempt without the first attempt's permit is a retry.
        var retry = turn is null;
        try
        {
            if (turn is null && request is not null)
            {
                turn = await pacer.WaitForTurnAsync(request, context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
            }
        }
        catch (OperationCanceledException ex)
        {
            return Polly.Outcome.FromException<HttpResponseMessage>(ex);
        }

        var account = pacer.Account;
        if (retry)
        {
            ContactListsTelemetry.Retries.Add(1, ContactListsTelemetry.AccountTags(account.ProviderName, account.ClientName));
        }

        using (turn)
        {
            var started = pacer.TimeProvider.GetTimestamp();
            var outcome = await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
            if (outcome.Result is { } response)
            {
                pacer.Observe(profile.ReadRateLimit(response));
            }

            var tags = ContactListsTelemetry.AccountTags(account.ProviderName, account.ClientName);
            tags.Add(ContactListsTelemetry.MethodTag, request?.Method.Method);
            if (outcome.Result is { } answer)
            {
                tags.Add(ContactListsTelemetry.StatusTag, (int)answer.StatusCode);
            }
            else if (outcome.Exception is { } error)
            {
                tags.Add(ContactListsTelemetry.ErrorTypeTag, error.GetType().FullName);
            }

            ContactListsTelemetry.Requests.Add(1, tags);
            ContactListsTelemetry.RequestDuration.Record(pacer.TimeProvider.GetElapsedTime(started).TotalSeconds, tags);
            return outcome;
        }
    }
}

/// <summary>Options of <see cref="AttemptPacingStrategy"/> (it has none of its own; Polly wants an options object).</summary>
internal sealed class AttemptPacingStrategyOptions : Polly.ResilienceStrategyOptions
{
    public AttemptPacingStrategyOptions() => Name = "ContactLists.AttemptPacing";
}
