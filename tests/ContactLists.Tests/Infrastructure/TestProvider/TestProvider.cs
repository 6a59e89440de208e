using System.Net;
using System.Text.Json;
using ContactLists.Http;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>
/// The test provider's profile and registration, built from the same pieces as a real provider folder
/// (<see cref="ProviderHttpProfile"/>, <see cref="ProviderDescriptor{TOptions}"/>, <see cref="ProviderRegistration"/>).
/// </summary>
internal static class TestProvider
{
    public const string Name = "Test";

    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The provider's own wait hint on a 429, in milliseconds (besides <c>Retry-After</c>).</summary>
    public const string WaitHeader = "X-Wait-Ms";

    public static readonly ProviderHttpProfile Profile = new()
    {
        ProviderName = Name,
        RepeatableOperations = new HashSet<string>(StringComparer.Ordinal)
        {
            nameof(ITestProviderApi.GetListsAsync), nameof(ITestProviderApi.GetListAsync), nameof(ITestProviderApi.UpdateListAsync),
            nameof(ITestProviderApi.DeleteListAsync), nameof(ITestProviderApi.GetMembersAsync), nameof(ITestProviderApi.ChangeMembersAsync),
        },
        UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(ITestProviderApi.CreateListAsync) },
        ParseErrorMessages = static body => JsonSerializer.Deserialize(body, TestProviderJsonContext.Default.TestErrorResponse)?.Error?.Message is { } message ? [message] : [],
        ReadProviderRetryDelay = static response => response.StatusCode == HttpStatusCode.TooManyRequests && RetryDelays.ReadLongHeader(response, WaitHeader) is { } ms and >= 0
            ? TimeSpan.FromMilliseconds(ms)
            : null,
        AuthenticationHint = "Check the test provider's API key.",
    };

    public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(TestProviderJsonContext.Default, Profile);

    public static readonly ProviderDescriptor<TestProviderOptions> Descriptor = new()
    {
        ProviderName = Name,
        Profile = Profile,
        Bind = static (builder, section) => builder.Bind(section),
        PacingRules = static options => [new PacingRule("Test requests", options.RequestsPerWindow, options.RequestWindow, static _ => true)],
        AccountIdentity = static options => options.ApiKey!,
        Authentication = static (_, _, options) => new HeaderAuthenticationHandler([new(ApiKeyHeader, options.ApiKey!)]),
        CreateClient = static (_, wiring, options, http) => new TestProviderClient(wiring, RestService.ForGenerated<ITestProviderApi>(http, RefitSettings), options),
    };
}

/// <summary>Registers accounts of the test provider, the way a provider folder's extension methods do.</summary>
public static class TestProviderBuilderExtensions
{
    /// <summary>Registers an account of the test provider under <paramref name="name"/>, bound from <c>ContactLists:Test:{name}</c>.</summary>
    public static ContactListClientBuilder AddTestProvider(this ContactListsBuilder builder, string name, Action<TestProviderOptions>? configure = null)
    {
        var client = ProviderRegistration.Add(builder, TestProvider.Descriptor, name, configure);
        ProviderRegistration.AddTypedApi<ITestProviderApi>(builder, name, TestProvider.RefitSettings);
        return client;
    }

    /// <summary>Registers every account configured under <c>ContactLists:Test</c>.</summary>
    public static ContactListsBuilder AddTestProvider(this ContactListsBuilder builder)
    {
        ProviderRegistration.ForEachConfiguredAccount(builder, TestProvider.Name, name => builder.AddTestProvider(name));
        return builder;
    }
}
