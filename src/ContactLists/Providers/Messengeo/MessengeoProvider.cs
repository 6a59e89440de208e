using System.Text.Json;
using ContactLists.Http;
using ContactLists.Http.OAuth2;
using ContactLists.Providers.Messengeo;
using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Providers.Messengeo
{
    /// <summary>What the shared pipeline and registration need to know about Messengeo.</summary>
    internal static class MessengeoProvider
    {
        public const string Name = "Messengeo";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            // The base address as Messengeo prints it ends with this; the request paths carry it.
            DocumentedPathPrefix = "/rest",
            // Adding and removing members (action=contactadd/contactremove) are membership changes: sending one twice leaves the same lists.
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IMessengeoApi.ReadListsAsync), nameof(IMessengeoApi.UpdateListsAsync), nameof(IMessengeoApi.DeleteListsAsync), nameof(IMessengeoApi.AddContactsAsync), nameof(IMessengeoApi.RemoveContactsAsync), nameof(IMessengeoApi.ReadContactsAsync), nameof(IMessengeoApi.UpdateContactsAsync) },
            UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IMessengeoApi.CreateListAsync), nameof(IMessengeoApi.MergeListsAsync), nameof(IMessengeoApi.ImportListAsync), nameof(IMessengeoApi.ImportListWithQueryParametersAsync), nameof(IMessengeoApi.CreateContactsAsync) },
            ParseErrorMessages = ParseErrors,
            CheckRequest = RequireIdFilter,
            AuthenticationHint = "Messengeo client ids and secrets are in the Digitaleo web app under Parameters → API.",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(MessengeoJsonContext.Default, Profile);

        public static readonly ProviderDescriptor<MessengeoOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            // Messengeo publishes no rate limit: no client-side pacing; 429s and 503s are retried with backoff.
            PacingRules = static _ => [],
            OAuth2 = Credentials,
            CreateClient = static (sp, wiring, options, http) => new MessengeoContactListClient(
                wiring, RestService.ForGenerated<IMessengeoApi>(http, RefitSettings), options, SharedStores.IdentityMap(sp, wiring.ClientName)),
        };

        public static OAuth2ClientCredentials Credentials(MessengeoOptions options) => new(
            options.TokenEndpoint, options.ClientId!, options.ClientSecret!, Audience: null, Scope: null,
            OAuth2ClientAuthentication.FormBody, options.TokenRefreshBeforeExpiry, options.TokenFailureHold);

        /// <summary>Resources are addressed by filters: a PUT or DELETE without an <c>id</c> filter could change or delete them all.</summary>
        private static void RequireIdFilter(HttpRequestMessage request)
        {
            if ((request.Method == HttpMethod.Put || request.Method == HttpMethod.Delete)
                && !System.Web.HttpUtility.ParseQueryString(request.RequestUri?.Query ?? string.Empty).AllKeys.Contains("id"))
            {
                throw new ContactListValidationException(
                    $"Messengeo addresses resources by filter: a {request.Method} to {request.RequestUri?.AbsolutePath} without an id filter would apply to all of them, so it is never sent.",
                    paramName: null);
            }
        }

        private static string[] ParseErrors(string body)
        {
            var error = JsonSerializer.Deserialize(body, MessengeoJsonContext.Default.MessengeoError);
            var messages = new List<string>();
            if (error?.Message is { Length: > 0 } message)
            {
                messages.Add(message);
            }

            messages.AddRange((error?.Messages ?? []).Select(m => m.Details).OfType<string>().Where(d => d != error?.Message));
            if (error?.Details is { Length: > 0 } details && !messages.Contains(details))
            {
                messages.Add(details);
            }

            return messages.Count > 0 ? messages.ToArray() : ErrorBodies.CommonMessages(body);
        }
    }
}

namespace ContactLists
{
    /// <summary>Registers Messengeo (Digitaleo) accounts.</summary>
    public static class MessengeoContactListsBuilderExtensions
    {
        /// <summary>
        /// Registers a Messengeo account under <paramref name="name"/>: an <see cref="IContactListClient"/> and an
        /// <see cref="IMessengeoApi"/>, both as keyed services named <paramref name="name"/>, authenticated with OAuth2
        /// client credentials. Settings are bound from <c>ContactLists:Messengeo:{name}</c> when configuration was given.
        /// </summary>
        /// <param name="builder">The builder.</param>
        /// <param name="name">The account's name, unique across providers.</param>
        /// <param name="configure">Sets the options in code.</param>
        /// <returns>The client's builder, to adjust its pipeline.</returns>
        public static ContactListClientBuilder AddMessengeo(this ContactListsBuilder builder, string name, Action<MessengeoOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, MessengeoProvider.Descriptor, name, configure);
            ProviderRegistration.AddTypedApi<IMessengeoApi>(builder, name, MessengeoProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every Messengeo account configured under <c>ContactLists:Messengeo</c>, each under its section's name.</summary>
        /// <param name="builder">The builder (created with configuration).</param>
        /// <returns>The builder.</returns>
        public static ContactListsBuilder AddMessengeo(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, MessengeoProvider.Name, name => builder.AddMessengeo(name));
            return builder;
        }
    }
}
