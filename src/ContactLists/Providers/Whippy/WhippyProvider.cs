using System.Text.Json;
using ContactLists.Http;
using ContactLists.Providers.Whippy;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Providers.Whippy
{
    /// <summary>What the shared pipeline and registration need to know about Whippy.</summary>
    internal static class WhippyProvider
    {
        public const string Name = "Whippy";

        /// <summary>Whippy's own sync client waits this many milliseconds after a 429 (not in the public docs; honoured when present).</summary>
        public const string RetryIntervalHeader = "X-RateLimit-Remaining-Interval-Milliseconds";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            // The base address as Whippy prints it ends with this; the request paths carry it.
            DocumentedPathPrefix = "/v1",
            // Updating a list's contacts (add, remove, overwrite) is a membership change; creating a list is a create.
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IWhippyApi.GetContactListsAsync), nameof(IWhippyApi.GetContactListAsync), nameof(IWhippyApi.UpdateContactListAsync), nameof(IWhippyApi.DeleteContactListAsync), nameof(IWhippyApi.UpdateContactListContactsAsync) },
            UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(IWhippyApi.CreateContactListAsync) },
            ParseErrorMessages = ParseErrors,
            // The wait header is read on a 429 only: on any other answer it does not say that the quota is spent.
            ReadProviderRetryDelay = static response => WaitOn429(response),
            ReadRateLimit = static response => WaitOn429(response) is { } wait ? new RateLimitInfo(null, 0, wait) : null,
            AuthenticationHint = "Whippy API keys are created, disabled and re-enabled under Settings → Developers; check that this one is enabled.",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(WhippyJsonContext.Default, Profile);

        public static readonly ProviderDescriptor<WhippyOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            PacingRules = PacingRules,
            AccountIdentity = static options => options.ApiKey!,
            Authentication = static (_, _, options) => new HeaderAuthenticationHandler([new("X-WHIPPY-KEY", options.ApiKey!)]),
            CreateClient = static (_, wiring, options, http) => new WhippyContactListClient(wiring, RestService.ForGenerated<IWhippyApi>(http, RefitSettings), options),
        };

        private static TimeSpan? WaitOn429(HttpResponseMessage response)
            => response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && RetryDelays.ReadLongHeader(response, RetryIntervalHeader) is { } ms and >= 0
                ? TimeSpan.FromMilliseconds(ms)
                : null;

        private static IEnumerable<PacingRule> PacingRules(WhippyOptions options) =>
        [
            new PacingRule("Whippy contact-list writes", options.ContactListWritesPerWindow, options.ContactListWriteWindow, IsContactListWrite),
            new PacingRule("Whippy requests", options.RequestsPerWindow, options.RequestWindow, static _ => true),
        ];

        private static bool IsContactListWrite(HttpRequestMessage request)
            => request.Method != HttpMethod.Get && request.RequestUri?.AbsolutePath.Contains("/v1/contacts/lists", StringComparison.Ordinal) == true;

        private static string[] ParseErrors(string body)
        {
            var error = JsonSerializer.Deserialize(body, WhippyJsonContext.Default.WhippyErrorResponse);
            return error?.Errors?.Select(e => e.Description).OfType<string>().ToArray() ?? [];
        }
    }
}

namespace ContactLists
{
    /// <summary>Registers Whippy accounts.</summary>
    public static class WhippyContactListsBuilderExtensions
    {
        /// <summary>
        /// Registers a Whippy account under <paramref name="name"/>: an <see cref="IContactListClient"/> and an
        /// <see cref="IWhippyApi"/>, both as keyed services named <paramref name="name"/>. Settings are bound from
        /// <c>ContactLists:Whippy:{name}</c> when configuration was given, then <paramref name="configure"/> applies.
        /// </summary>
        /// <param name="builder">The builder.</param>
        /// <param name="name">The account's name, unique across providers.</param>
        /// <param name="configure">Sets the options in code.</param>
        /// <returns>The client's builder, to adjust its pipeline.</returns>
        public static ContactListClientBuilder AddWhippy(this ContactListsBuilder builder, string name, Action<WhippyOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, WhippyProvider.Descriptor, name, configure);
            ProviderRegistration.AddTypedApi<IWhippyApi>(builder, name, WhippyProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every Whippy account configured under <c>ContactLists:Whippy</c>, each under its section's name.</summary>
        /// <param name="builder">The builder (created with configuration).</param>
        /// <returns>The builder.</returns>
        public static ContactListsBuilder AddWhippy(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, WhippyProvider.Name, name => builder.AddWhippy(name));
            return builder;
        }
    }
}
