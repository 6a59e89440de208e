using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>
/// Builds a service provider holding one client of the test-only provider, named <see cref="TestHost.ClientName"/>,
/// the way a user registers a real provider. The core tests (bulk engine, pipeline, registration, argument checks)
/// run on it, so that they test the shared code and no real provider's wire format.
/// </summary>
public static class TestProviderHost
{
    public const string ApiKey = "tpk_live_5ecret-VALUE-never-logged";

    public static readonly Uri BaseAddress = new("https://api.test-provider.example");

    public static ServiceProvider Build(
        Uri? baseAddress = null,
        Action<TestProviderOptions>? configure = null,
        TimeProvider? timeProvider = null,
        HttpMessageHandler? primaryHandler = null,
        Action<HttpStandardResilienceOptions>? resilience = null,
        Action<ILoggingBuilder>? logging = null)
        => TestHost.Build(
            b => b.AddTestProvider(TestHost.ClientName, o =>
            {
                o.BaseAddress = baseAddress ?? BaseAddress;
                o.ApiKey = ApiKey;
                o.EnablePacing = false;
                configure?.Invoke(o);
            }),
            timeProvider,
            primaryHandler,
            resilience,
            logging);


    /// <summary>The test provider's answer to a membership change.</summary>
    public const string Queued = """{"status":"queued"}""";

    /// <summary>A list as the test provider returns it.</summary>
    public const string ListJson = """{"id":"l1","name":"n","archived":false,"member_count":3}""";

    /// <summary>The test provider's error body.</summary>
    public static string Error(string message) => $$$"""{"error":{"message":"{{{message}}}"}}""";
}
