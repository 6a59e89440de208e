using ContactLists.Retries;
using System.Net.Http.Headers;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using Refit;
using ContactLists.Sharing;

namespace ContactLists.Http;

/// <summary>
/// Builds the one HTTP pipeline every provider client uses, outermost first:
/// error mapping → first attempt's pacing → resilience (total timeout, retry, circuit breaker, pacing of retries,
/// attempt timeout) → response body (read, capped, checked) → authentication → the network. Each registered client (account) gets its own named <see cref="HttpClient"/>,
/// its own resilience pipeline and circuit breaker, and its own pacing limiters.
/// </summary>
internal static class ProviderPipeline
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026",
        Justification = "Polly validates strategy options by their data-annotation attributes; AttemptPacingStrategyOptions has none.")]
    public static IHttpClientBuilder AddHttpClient(
        IServiceCollection services,
        string clientName,
        ProviderHttpProfile profile,
        Func<IServiceProvider, ContactListClientOptions> getOptions,
        Func<IServiceProvider, IEnumerable<PacingRule>> pacingRules,
        Func<IServiceProvider, ProviderAccount> account,
        Func<IServiceProvider, DelegatingHandler> authentication)
    {
        var httpClientName = HttpClientName(clientName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<TelemetryOptions>, QuietRoutineAttempts>());
        services.AddKeyedSingleton(clientName, (sp, _) => new ClientPacer(
            getOptions(sp).EnablePacing ? pacingRules(sp) : [],
            account(sp),
            SharedStores.RateLimitStore(sp, clientName),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("ContactLists." + profile.ProviderName)));

        var builder = services.AddHttpClient(httpClientName, (sp, http) =>
        {
            // Both forms a user may write work: with the documented path prefix (as the provider prints it) or without.
            http.BaseAddress = BaseAddressRules.Effective(getOptions(sp).BaseAddress!, profile.DocumentedPathPrefix);
            // The resilience pipeline owns the timeouts; a client-side pacing wait must not count as a timeout.
            http.Timeout = Timeout.InfiniteTimeSpan;
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        });
        var resilienceOptionsName = ResilienceOptionsName(httpClientName);
        builder.AddHttpMessageHandler(sp => new ErrorMappingHandler(
            profile,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("ContactLists." + profile.ProviderName) ?? NullLogger.Instance,
            () => sp.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(resilienceOptionsName).CircuitBreaker.BreakDuration));
        // The first attempt's permit is taken here, outside the timeouts; retries take theirs inside the pipeline.
        builder.AddHttpMessageHandler(sp => new PacingHandler(sp.GetRequiredKeyedService<ClientPacer>(clientName)));
        // The client options are read when a retry is decided, not here, so that invalid options fail start-up
        // validation once, with their own message, rather than again through the resilience options.
        services.AddOptions<HttpStandardResilienceOptions>(resilienceOptionsName).Configure<IServiceProvider>((options, sp) =>
            ConfigureResilience(options, profile, () => getOptions(sp).MaxRetryAfter, sp.GetRequiredService<TimeProvider>()));
        // The standard pipeline's pieces (total timeout, retry, circuit breaker, attempt timeout), with the pacing of
        // each attempt between the breaker and the attempt timeout, so that a retry is paced like a first attempt.
        builder.AddResilienceHandler(ResiliencePipelineSuffix, (pipeline, context) =>
        {
            var options = context.GetOptions<HttpStandardResilienceOptions>(resilienceOptionsName);
            context.EnableReloads<HttpStandardResilienceOptions>(resilienceOptionsName);
            var pacer = context.ServiceProvider.GetRequiredKeyedService<ClientPacer>(clientName);
            pipeline
                .AddTimeout(options.TotalRequestTimeout)
                .AddRetry(options.Retry)
                .AddCircuitBreaker(options.CircuitBreaker)
                .AddStrategy(_ => new AttemptPacingStrategy(pacer, profile), new AttemptPacingStrategyOptions())
                .AddTimeout(options.AttemptTimeout);
        });
        // Inside the attempt: the body is read (and checked) before the attempt's timeout ends.
        builder.AddHttpMessageHandler(sp => new ResponseBodyHandler(profile, ResponseBodyHandler.ClientCaps(() => getOptions(sp))));
        builder.AddHttpMessageHandler(authentication);
        // Credentials and data never follow a redirect to another host.
        builder.NeverFollow(profile);
        // IHttpClientFactory's own request logging puts raw header values (the API key among them) into the log
        // records' structured state, even when their text is redacted. Remove it: ErrorMappingHandler logs each
        // call's method, path, status and duration instead, and never a header.
        builder.RemoveAllLoggers();
        return builder;
    }

    public static string HttpClientName(string clientName) => "ContactLists." + clientName;

    /// <summary>The name of the resilience pipeline within a client's <see cref="HttpClient"/> registration.</summary>
    internal const string ResiliencePipelineSuffix = "standard";

    /// <summary>The name of a client's <see cref="HttpStandardResilienceOptions"/>.</summary>
    public static string ResilienceOptionsName(string httpClientName) => httpClientName + "-" + ResiliencePipelineSuffix;

    /// <summary>
    /// Refit settings for a provider's source-generated JSON context: transport failures pass through as the pipeline
    /// typed them, and a body that does not deserialize into the wire type becomes <see cref="ContactListUnexpectedAnswerException"/>.
    /// </summary>
    public static RefitSettings RefitSettings(JsonSerializerContext context, ProviderHttpProfile profile) => new(new SystemTextJsonContentSerializer(context.Options))
    {
        TransportExceptionFactory = static (_, exception, _) => exception,
        DeserializationExceptionFactory = (response, exception) => UnexpectedAnswers.FromDeserializationFailure(profile, response, exception),
        // Bodies are serialized into a buffer (batches are bounded), so every request carries Content-Length: proxies
        // are known to strip chunked bodies, DELETE bodies above all, and a buffered body can be sent again on a retry.
        Buffered = true,
    };

    internal static void ConfigureResilience(HttpStandardResilienceOptions options, ProviderHttpProfile profile, Func<TimeSpan> maxRetryAfter, TimeProvider timeProvider)
    {
        // The breaker is for a provider that is down, not one that is flaky: with the standard 10% ratio, one failed
        // attempt in ten (each retried, most recovering) kept it open and starved long bulk runs. Half the attempts failing opens it.
        options.CircuitBreaker.FailureRatio = 0.5;
        options.Retry.ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, args.Context, profile, maxRetryAfter(), timeProvider));
        options.Retry.DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result is { } response ? RetryDelays.FromResponse(response, profile, timeProvider) : null);
    }

    /// <summary>Another attempt of this request? Whether it may be repeated is the profile's; the rest is <see cref="Failures.RetryAttempt"/>'s.</summary>
    internal static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, ResilienceContext context, ProviderHttpProfile profile, TimeSpan maxRetryAfter, TimeProvider timeProvider)
    {
        var request = context.GetRequestMessage();
        var repeatable = request is null || profile.IsRepeatable(request);
        return Failures.RetryAttempt(outcome, repeatable, maxRetryAfter, response => RetryDelays.FromResponse(response, profile, timeProvider));
    }
}
