using ContactLists.Providers.Whippy;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace ContactLists.Tests.Infrastructure;

/// <summary>
/// Builds a service provider holding one Whippy client named <see cref="Name"/>, the way a user would; for tests of
/// Whippy itself and of end-to-end behaviour on a real provider's format (core tests use <see cref="TestProvider.TestProviderHost"/>).
/// </summary>
public static class WhippyTestHost
{
    public const string Name = TestHost.ClientName;
    public const string ApiKey = "whk_live_5ecret-VALUE-never-logged";

    public static ServiceProvider Build(
        Uri baseAddress,
        Action<WhippyOptions>? configure = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? primaryHandler = null,
        Action<HttpStandardResilienceOptions>? resilience = null,
        Action<ILoggingBuilder>? logging = null,
        string apiKey = ApiKey)
        => TestHost.Build(
            b => b.AddWhippy(Name, o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = apiKey;
                o.EnablePacing = false;
                configure?.Invoke(o);
            }),
            timeProvider,
            primaryHandler,
            resilience,
            logging);

    public static IWhippyApi WhippyApi(this ServiceProvider services) => services.GetRequiredKeyedService<IWhippyApi>(Name);

}
