using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactLists.Http.OAuth2;

/// <summary>Registers the token source of one account that authenticates with OAuth2 client credentials.</summary>
internal static class OAuth2Registration
{
    /// <summary>The largest token answer read: 64 KiB (a token answer is a few hundred bytes).</summary>
    internal const long MaxTokenResponseBytes = 64 * 1024;

    private static readonly ResponseCap TokenCap = new(MaxTokenResponseBytes, "the token endpoint's cap of 64 KiB");

    /// <summary>
    /// Registers a keyed <see cref="OAuth2TokenSource"/> for <paramref name="clientName"/> with its own named HttpClient
    /// for the token endpoint (error mapping and retries, no pacing, no credentials of the API).
    /// </summary>
    public static void Add(IServiceCollection services, string clientName, string providerName, Func<IServiceProvider, OAuth2ClientCredentials> credentials, Func<IServiceProvider, ProviderAccount> account)
    {
        var tokenClientName = ProviderPipeline.HttpClientName(clientName) + ".token";
        var profile = new ProviderHttpProfile
        {
            ProviderName = providerName,
            ParseErrorMessages = OAuth2TokenSource.ParseErrors,
            // Asking for a token twice is harmless.
            IsRepeatableOtherwise = static _ => true,
        };
        var builder = services.AddHttpClient(tokenClientName, http => http.Timeout = Timeout.InfiniteTimeSpan);
        builder.AddHttpMessageHandler(sp => new ErrorMappingHandler(
            profile,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILoggerFactory>()?.CreateLogger("ContactLists." + providerName + ".Token") ?? NullLogger.Instance));
        builder.AddStandardResilienceHandler().Configure((options, sp) =>
            ProviderPipeline.ConfigureResilience(options, profile, () => TimeSpan.FromSeconds(20), sp.GetRequiredService<TimeProvider>()));
        // A token answer is a few hundred bytes: read at most MaxTokenResponseBytes of it, and never quote it in an
        // error (it would hold the token).
        builder.AddHttpMessageHandler(() => new ResponseBodyHandler(profile, static _ => TokenCap, mayQuoteBody: false));
        // The client secret never follows a redirect to another host.
        builder.NeverFollow(profile);
        builder.RemoveAllLoggers();

        services.AddKeyedSingleton(clientName, (sp, _) =>
        {
            var factory = sp.GetRequiredService<IHttpClientFactory>();
            return new OAuth2TokenSource(providerName, () => factory.CreateClient(tokenClientName), () => credentials(sp), sp.GetRequiredService<TimeProvider>())
            {
                Account = account(sp),
                SharedCache = SharedStores.TokenCache(sp, clientName),
            };
        });
    }

    /// <summary>The bearer handler of <paramref name="clientName"/>'s API client.</summary>
    public static DelegatingHandler BearerHandler(IServiceProvider services, string clientName)
        => new OAuth2BearerHandler(services.GetRequiredKeyedService<OAuth2TokenSource>(clientName));
}
