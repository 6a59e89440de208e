using ContactLists.Http;
using ContactLists.Http.OAuth2;
using ContactLists.Providers.Movio;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Providers.Movio
{
    /// <summary>What the shared pipeline and registration need to know about Movio.</summary>
    internal static class MovioProvider
    {
        public const string Name = "Movio";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            // Movio's one call is a PUT of members: a membership change.
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IMovioApi.UpdateContactsAsync) },
            // Movio's error body is not documented: keep it raw, and read "message"/"error" fields when there are some.
            ParseErrorMessages = ErrorBodies.CommonMessages,
            // Movio documents 202 for a membership change, with a body that is optional and opaque.
            IsDocumentedSuccess = static (request, status, _) => request.Method != HttpMethod.Put || status == System.Net.HttpStatusCode.Accepted,
            AllowsEmptyAnswer = static (request, response) => request.Method == HttpMethod.Put && response.StatusCode == System.Net.HttpStatusCode.Accepted,
            AuthenticationHint = "In Movio EQ, check that the \"Contact list\" API permission is enabled for these credentials (Settings → API credentials).",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(MovioJsonContext.Default, Profile);

        public static readonly ProviderDescriptor<MovioOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            // Movio publishes no rate limit: no client-side pacing; 429s are retried with their hints.
            PacingRules = static _ => [],
            OAuth2 = Credentials,
            CreateClient = static (_, wiring, options, http) => new MovioContactListClient(wiring, RestService.ForGenerated<IMovioApi>(http, RefitSettings), options),
        };

        public static OAuth2ClientCredentials Credentials(MovioOptions options) => new(
            options.EffectiveTokenEndpoint!,
            options.ClientId!,
            options.ClientSecret!,
            options.EffectiveAudience,
            options.Scope,
            OAuth2ClientAuthentication.BasicHeader,
            options.TokenRefreshBeforeExpiry,
            options.TokenFailureHold);
    }
}

namespace ContactLists
{
    /// <summary>Registers Movio accounts.</summary>
    public static class MovioContactListsBuilderExtensions
    {
        /// <summary>
        /// Registers a Movio account under <paramref name="name"/>: an <see cref="IContactListClient"/> and an
        /// <see cref="IMovioApi"/>, both as keyed services named <paramref name="name"/>, authenticated with OAuth2 client
        /// credentials. Settings are bound from <c>ContactLists:Movio:{name}</c> when configuration was given.
        /// </summary>
        /// <param name="builder">The builder.</param>
        /// <param name="name">The account's name, unique across providers.</param>
        /// <param name="configure">Sets the options in code.</param>
        /// <returns>The client's builder, to adjust its pipeline.</returns>
        public static ContactListClientBuilder AddMovio(this ContactListsBuilder builder, string name, Action<MovioOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, MovioProvider.Descriptor, name, configure);
            ProviderRegistration.AddTypedApi<IMovioApi>(builder, name, MovioProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every Movio account configured under <c>ContactLists:Movio</c>, each under its section's name.</summary>
        /// <param name="builder">The builder (created with configuration).</param>
        /// <returns>The builder.</returns>
        public static ContactListsBuilder AddMovio(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, MovioProvider.Name, name => builder.AddMovio(name));
            return builder;
        }
    }
}
