using ContactLists.Http;
using ContactLists.Providers.Octopush;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Providers.Octopush
{
    /// <summary>What the shared pipeline and registration need to know about Octopush.</summary>
    internal static class OctopushProvider
    {
        public const string Name = "Octopush";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            // The base address as Octopush prints it ends with this; the request paths carry it.
            DocumentedPathPrefix = "/v1/public",
            // contact/create is an upsert of the list's contacts, and contact-list/empty leaves the same empty list; creating a list is a create.
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IOctopushApi.CreateContactsAsync), nameof(IOctopushApi.DeleteContactsAsync), nameof(IOctopushApi.DeleteContactListAsync), nameof(IOctopushApi.EmptyContactListAsync) },
            UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IOctopushApi.CreateContactListAsync) },
            // Octopush's v1 error body is not documented: keep it raw, read the usual message fields if present.
            ParseErrorMessages = ErrorBodies.CommonMessages,
            // Octopush documents no answer bodies: an empty one is fine (a non-JSON one is still refused). Where it does
            // document a status (201 for a created list, 204 for deletes), another success status is not its answer;
            // contact/create's status is a setting (201 by default, the status of Octopush's documented creates).
            AllowsEmptyAnswer = static (_, _) => true,
            IsDocumentedSuccess = static (request, status, options) => request.RequestUri?.AbsolutePath switch
            {
                { } path when path.EndsWith("/contact-list/create", StringComparison.Ordinal) => status == System.Net.HttpStatusCode.Created,
                { } path when path.EndsWith("/contact/create", StringComparison.Ordinal) =>
                    (options as OctopushOptions)?.IsAddContactsSuccess((int)status) ?? status == System.Net.HttpStatusCode.Created,
                { } path when path.EndsWith("/delete", StringComparison.Ordinal) => status == System.Net.HttpStatusCode.NoContent,
                _ => true,
            },
            CheckAnswer = static (_, _, body, _) => NotAnAnswer(body.Span),
            AuthenticationHint = "Octopush needs both the account login (api-login, an e-mail address) and the API key (api-key).",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(OctopushJsonContext.Default, Profile);

        /// <summary>
        /// Why a body is not an Octopush success answer: its answers are undocumented, but an array, a bare value, or an
        /// object that reads as an error (an <c>error</c> or <c>errors</c> field, a 4xx/5xx <c>code</c>, <c>success: false</c>)
        /// is not one, whatever status it came with.
        /// </summary>
        internal static string? NotAnAnswer(ReadOnlySpan<byte> body)
        {
            var reader = new System.Text.Json.Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != System.Text.Json.JsonTokenType.StartObject)
            {
                return "its body is not a JSON object";
            }

            using var document = System.Text.Json.JsonDocument.Parse(body.ToArray());
            var root = document.RootElement;
            if (root.TryGetProperty("error", out _) || root.TryGetProperty("errors", out _))
            {
                return "its body is an error object";
            }

            if (root.TryGetProperty("code", out var code) && code.ValueKind == System.Text.Json.JsonValueKind.Number && code.TryGetInt32(out var number) && number >= 400)
            {
                return $"its body is an error object (code {number})";
            }

            return root.TryGetProperty("success", out var success) && success.ValueKind == System.Text.Json.JsonValueKind.False
                ? "its body says success: false"
                : null;
        }

        public static readonly ProviderDescriptor<OctopushOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            // Octopush publishes no rate limit: no client-side pacing; 429s are retried with their hints.
            PacingRules = static _ => [],
            AccountIdentity = static options => options.ApiLogin + ":" + options.ApiKey,
            Authentication = static (_, _, options) => new HeaderAuthenticationHandler([new("api-login", options.ApiLogin!), new("api-key", options.ApiKey!)]),
            CreateClient = static (_, wiring, options, http) => new OctopushContactListClient(wiring, RestService.ForGenerated<IOctopushApi>(http, RefitSettings), options),
        };
    }
}

namespace ContactLists
{
    /// <summary>Registers Octopush accounts.</summary>
    public static class OctopushContactListsBuilderExtensions
    {
        /// <summary>
        /// Registers an Octopush account under <paramref name="name"/>: an <see cref="IContactListClient"/> and an
        /// <see cref="IOctopushApi"/>, both as keyed services named <paramref name="name"/>. Settings are bound from
        /// <c>ContactLists:Octopush:{name}</c> when configuration was given, then <paramref name="configure"/> applies.
        /// </summary>
        /// <param name="builder">The builder.</param>
        /// <param name="name">The account's name, unique across providers.</param>
        /// <param name="configure">Sets the options in code.</param>
        /// <returns>The client's builder, to adjust its pipeline.</returns>
        public static ContactListClientBuilder AddOctopush(this ContactListsBuilder builder, string name, Action<OctopushOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, OctopushProvider.Descriptor, name, configure);
            ProviderRegistration.AddTypedApi<IOctopushApi>(builder, name, OctopushProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every Octopush account configured under <c>ContactLists:Octopush</c>, each under its section's name.</summary>
        /// <param name="builder">The builder (created with configuration).</param>
        /// <returns>The builder.</returns>
        public static ContactListsBuilder AddOctopush(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, OctopushProvider.Name, name => builder.AddOctopush(name));
            return builder;
        }
    }
}
