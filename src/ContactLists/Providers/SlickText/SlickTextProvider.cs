using System.Net.Http.Headers;
using ContactLists.Http;
using ContactLists.Providers.SlickText;
using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Refit;

namespace ContactLists.Providers.SlickText
{
    /// <summary>What the shared pipeline and registration need to know about SlickText.</summary>
    internal static class SlickTextProvider
    {
        public const string Name = "SlickText";

        public static readonly ProviderHttpProfile Profile = new()
        {
            ProviderName = Name,
            // The base address as SlickText prints it ends with this; the request paths carry it.
            DocumentedPathPrefix = "/v1",
            // Adding contacts to lists is a membership change; creating a list or a contact is a create.
            RepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(ISlickTextApi.GetBrandAsync), nameof(ISlickTextApi.GetListsAsync), nameof(ISlickTextApi.GetListAsync), nameof(ISlickTextApi.EditListAsync), nameof(ISlickTextApi.DeleteListAsync), nameof(ISlickTextApi.CountListContactsAsync), nameof(ISlickTextApi.GetListContactsAsync), nameof(ISlickTextApi.AddContactsToListsAsync), nameof(ISlickTextApi.RemoveContactsFromListsAsync), nameof(ISlickTextApi.FindContactsAsync), nameof(ISlickTextApi.GetCustomFieldsAsync), nameof(ISlickTextApi.UpdateContactAsync) },
            UnrepeatableOperations = new HashSet<string>(StringComparer.Ordinal) { nameof(ISlickTextApi.CreateListAsync), nameof(ISlickTextApi.CreateContactAsync) },
            // SlickText's error body is not documented: keep it raw, read message/error when present.
            ParseErrorMessages = ErrorBodies.CommonMessages,
            ReadRateLimit = response => ReadRateLimit(response.Headers),
            // x-RateLimit-Reset says when the rate window resets: a wait for a 429, not for any other failure.
            ReadProviderRetryDelay = static response => response.StatusCode == System.Net.HttpStatusCode.TooManyRequests ? ReadRateLimit(response.Headers)?.ResetAfter : null,
            AuthenticationHint = "SlickText API keys belong to one brand (Settings → API & Webhooks → API Keys); accounts created before 22 January 2025 use SlickText's legacy API, which this client does not speak.",
        };

        public static readonly RefitSettings RefitSettings = ProviderPipeline.RefitSettings(SlickTextJsonContext.Default, Profile);

        public static readonly ProviderDescriptor<SlickTextOptions> Descriptor = new()
        {
            ProviderName = Name,
            Profile = Profile,
            Bind = static (builder, section) => builder.Bind(section),
            PacingRules = static options => [new PacingRule("SlickText requests", options.RequestsPerWindow, options.RequestWindow, static _ => true)],
            AccountIdentity = static options => options.ApiKey!,
            Authentication = static (_, _, options) => new HeaderAuthenticationHandler([new("Authorization", "Bearer " + options.ApiKey)]),
            CreateClient = static (sp, wiring, options, http) => new SlickTextContactListClient(
                wiring, RestService.ForGenerated<ISlickTextApi>(http, RefitSettings), http, options,
                sp.GetRequiredKeyedService<SlickTextBrandCache>(wiring.ClientName), SharedStores.IdentityMap(sp, wiring.ClientName)),
        };

        /// <summary>The documented <c>x-RateLimit</c>, <c>x-RateLimit-Remaining</c> and <c>x-RateLimit-Reset</c> (seconds) headers.</summary>
        public static RateLimitInfo? ReadRateLimit(HttpResponseHeaders? headers)
        {
            if (headers is null)
            {
                return null;
            }

            var limit = Read(headers, "x-RateLimit");
            var remaining = Read(headers, "x-RateLimit-Remaining");
            var reset = Read(headers, "x-RateLimit-Reset");
            return limit is null && remaining is null && reset is null
                ? null
                : new RateLimitInfo(limit, remaining, reset is { } seconds ? TimeSpan.FromSeconds(seconds) : null);
        }

        private static long? Read(HttpResponseHeaders headers, string name)
            => headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}

namespace ContactLists
{
    /// <summary>Registers SlickText brands.</summary>
    public static class SlickTextContactListsBuilderExtensions
    {
        /// <summary>
        /// Registers a SlickText brand under <paramref name="name"/>: an <see cref="IContactListClient"/> and an
        /// <see cref="ISlickTextApi"/>, both as keyed services named <paramref name="name"/>. Settings are bound from
        /// <c>ContactLists:SlickText:{name}</c> when configuration was given, then <paramref name="configure"/> applies.
        /// </summary>
        /// <param name="builder">The builder.</param>
        /// <param name="name">The account's name, unique across providers.</param>
        /// <param name="configure">Sets the options in code.</param>
        /// <returns>The client's builder, to adjust its pipeline.</returns>
        public static ContactListClientBuilder AddSlickText(this ContactListsBuilder builder, string name, Action<SlickTextOptions>? configure = null)
        {
            var client = ProviderRegistration.Add(builder, SlickTextProvider.Descriptor, name, configure);
            builder.Services.AddKeyedSingleton(name, (_, _) => new SlickTextBrandCache());
            ProviderRegistration.AddTypedApi<ISlickTextApi>(builder, name, SlickTextProvider.RefitSettings);
            return client;
        }

        /// <summary>Registers every SlickText brand configured under <c>ContactLists:SlickText</c>, each under its section's name.</summary>
        /// <param name="builder">The builder (created with configuration).</param>
        /// <returns>The builder.</returns>
        public static ContactListsBuilder AddSlickText(this ContactListsBuilder builder)
        {
            ProviderRegistration.ForEachConfiguredAccount(builder, SlickTextProvider.Name, name => builder.AddSlickText(name));
            return builder;
        }
    }
}
