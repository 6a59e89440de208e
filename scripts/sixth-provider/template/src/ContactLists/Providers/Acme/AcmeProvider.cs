using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using ContactLists.Http;
using Refit;

namespace ContactLists.Providers.Acme
{
    /// <summary>
    /// The Acme's profile and registration, built from the same pieces as a real provider folder
    /// (<see cref="ProviderHttpProfile"/>, <see cref="ProviderDescriptor{TOptions}"/>, <see cref="ProviderRegistration"/>).
    /// </summary>
    internal static class AcmeProvider
    {
        public const string Name = "Acme";

        public const string ApiKeyHeader = "X-Api-Key";

        /// <summary>The provider's own wait hint on a 429, in milliseconds (besides <c>Retry-After</c>).</summary>
        public const string WaitHeader = "X-Wait-Ms";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal)
            {
                nameof(IAcmeApi.GetListsAsync), nameof(IAcmeApi.GetListAsync), nameof(IAcmeApi.UpdateListAsync),
                nameof(IAcmeApi.DeleteListAsync), nameof(IAcmeApi.GetMembersAsync), nameof(IAcmeApi.ChangeMembersAsync),
            },
            UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IAcmeApi.CreateListAsync) },
            ParseErrorMessages = static body => JsonSerializer.Deserialize(body, AcmeJsonContext.Default.AcmeErrorResponse)?.Error?.Message is { } message ? [message] : [],
            ReadProviderRetryDelay = static response => response.StatusCode == HttpStatusCode.TooManyRequests && RetryDelays.ReadLongHeader(response, WaitHeader) is { } ms and >= 0
                ? TimeSpan.FromMilliseconds(ms)
                : null,
            AuthenticationHint = "Check the Acme's API key.",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(AcmeJsonContext.Default, Profile);

        public static readonly ProviderDescriptor<AcmeOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            PacingRules = static options => [new PacingRule("Test requests", options.RequestsPerWindow, options.RequestWindow, static _ => true)],
            AccountIdentity = static options => options.ApiKey!,
            Authentication = static (_, _, options) => new HeaderAuthenticationHandler([new(ApiKeyHeader, options.ApiKey!)]),
            CreateClient = static (sp, name, options, http) => new AcmeContactListClient(
                name, RestService.ForGenerated<IAcmeApi>(http, RefitSettings), options, sp.GetRequiredService<TimeProvider>()),
        };
    }
}

namespace ContactLists
{
    using ContactLists.Providers.Acme;

    /// <summary>Registers accounts of the Acme, the way a provider folder's extension methods do.</summary>
    public static class AcmeContactListsBuilderExtensions
    {
        /// <summary>Registers an account of the Acme under <paramref name="name"/>, bound from <c>ContactLists:Test:{name}</c>.</summary>
        public static ContactListClientBuilder AddAcme(this ContactListsBuilder builder, string name, Action<AcmeOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, AcmeProvider.Descriptor, name, configure);
            ProviderRegistration.AddTypedApi<IAcmeApi>(builder, name, AcmeProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every account configured under <c>ContactLists:Test</c>.</summary>
        public static ContactListsBuilder AddAcme(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, AcmeProvider.Name, name => builder.AddAcme(name));
            return builder;
        }
    }
}
