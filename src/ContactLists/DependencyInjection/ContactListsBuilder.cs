using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;

namespace ContactLists;

/// <summary>Registers provider clients; handed to the callback of <c>AddContactLists</c>.</summary>
public sealed class ContactListsBuilder
{
    private readonly HashSet<string> _names;

    internal ContactListsBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
        // The names already claimed live in the service collection itself, so that two AddContactLists calls on the
        // same services cannot register one name twice (the last would silently win).
        var claimed = services.FirstOrDefault(d => d.ServiceType == typeof(ClaimedClientNames))?.ImplementationInstance as ClaimedClientNames;
        if (claimed is null)
        {
            claimed = new ClaimedClientNames();
            services.AddSingleton(claimed);
        }

        _names = claimed.Names;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>ContactLists</c> configuration section, when <c>AddContactLists</c> was given configuration.</summary>
    public IConfiguration? Configuration { get; }

    /// <summary>Claims a client name; names are unique across providers.</summary>
    internal void ClaimName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_names.Add(name))
        {
            throw new InvalidOperationException($"A contact-list client named '{name}' is already registered; give each account its own name.");
        }
    }
}

/// <summary>Where a handler added with <see cref="ContactListClientBuilder.AddHandler"/> runs.</summary>
public enum HandlerPlacement
{
    /// <summary>Once per call, outermost: before pacing, retries and timeouts; it sees the call's final answer or typed exception.</summary>
    PerCall,

    /// <summary>Once per attempt, inside the retries and the attempt timeout, before the credentials are added.</summary>
    PerAttempt,
}

/// <summary>The client names registered on one service collection, across every <c>AddContactLists</c> call.</summary>
internal sealed class ClaimedClientNames
{
    public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
}

/// <summary>One registered client, returned by <c>AddWhippy</c> and the like, to adjust its HTTP pipeline.</summary>
public sealed class ContactListClientBuilder
{
    internal ContactListClientBuilder(string name, string providerName, IHttpClientBuilder httpClientBuilder)
    {
        Name = name;
        ProviderName = providerName;
        HttpClientBuilder = httpClientBuilder;
    }

    /// <summary>The client's name.</summary>
    public string Name { get; }

    /// <summary>The provider's name.</summary>
    public string ProviderName { get; }

    /// <summary>
    /// The client's named <see cref="HttpClient"/> registration. A handler added to it with <c>AddHttpMessageHandler</c>
    /// sits innermost: it runs once per attempt, after the credentials were added, and sees them. Prefer
    /// <see cref="AddHandler"/>, which places a handler where it sees no credential.
    /// </summary>
    public IHttpClientBuilder HttpClientBuilder { get; }

    /// <summary>
    /// Adds a handler of your own to this client's pipeline, where <paramref name="placement"/> says: once per call,
    /// outside retries and pacing (<see cref="HandlerPlacement.PerCall"/>), or once per attempt, inside the retries
    /// (<see cref="HandlerPlacement.PerAttempt"/>). Either way it runs before the credentials are added, so it never
    /// sees them.
    /// </summary>
    /// <param name="factory">Creates the handler (a new instance each time the factory builds the pipeline).</param>
    /// <param name="placement">Where the handler runs.</param>
    /// <returns>This builder.</returns>
    public ContactListClientBuilder AddHandler(Func<IServiceProvider, DelegatingHandler> factory, HandlerPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!Enum.IsDefined(placement))
        {
            throw new ArgumentOutOfRangeException(nameof(placement), placement, "PerCall or PerAttempt.");
        }

        // Runs after the SDK's own handlers were added (they are registered before this builder is returned).
        HttpClientBuilder.ConfigureAdditionalHttpMessageHandlers((handlers, services) =>
        {
            var index = placement == HandlerPlacement.PerCall
                ? 0
                : handlers.Select((h, i) => (h, i)).Last(x => x.h is ResilienceHandler).i + 1;
            handlers.Insert(index, factory(services));
        });
        return this;
    }

    /// <summary>
    /// Changes this client's resilience pipeline (timeouts, retries, circuit breaker). It applies after the SDK's
    /// settings, to this client only: every client has its own pipeline and its own circuit breaker.
    /// </summary>
    /// <param name="configure">Changes the options.</param>
    /// <returns>This builder.</returns>
    public ContactListClientBuilder ConfigureResilience(Action<HttpStandardResilienceOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        HttpClientBuilder.Services.Configure(ResiliencePipelineName, configure);
        return this;
    }

    internal string ResiliencePipelineName => Http.ProviderPipeline.ResilienceOptionsName(HttpClientBuilder.Name);
}
