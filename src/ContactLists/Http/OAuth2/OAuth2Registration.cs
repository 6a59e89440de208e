using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactLists.Http.OAuth2;

/// <summary>Registers the token source of one account that authenticates with OAuth2 client credentials.</summary>
internal static class OAuth2Registration
{
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
