using System.Diagnostics.CodeAnalysis;
using ContactLists.Http;
using ContactLists.Http.OAuth2;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactLists;

/// <summary>Everything a provider folder tells the shared registration about itself.</summary>
internal sealed class ProviderDescriptor<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>
    where TOptions : ContactListClientOptions, new()
{
    public required string ProviderName { get; init; }

    public required ProviderHttpProfile Profile { get; init; }

    /// <summary>Binds the options from a configuration section (written with the concrete type, so the binding is source-generated).</summary>
    public required Action<OptionsBuilder<TOptions>, IConfiguration> Bind { get; init; }

    public required Func<TOptions, IEnumerable<PacingRule>> PacingRules { get; init; }

    /// <summary>Creates the authentication handler of a client (service provider, client name, options), for static credentials.</summary>
    public Func<IServiceProvider, string, TOptions, DelegatingHandler>? Authentication { get; init; }

    /// <summary>
    /// For providers with static credentials: what identifies the account (its API key, say), for the one-way
    /// fingerprint that names it in shared stores. OAuth2 providers are identified by token endpoint and client id.
    /// </summary>
    public Func<TOptions, string>? AccountIdentity { get; init; }

    /// <summary>For providers that authenticate with OAuth2 client credentials: the credentials of an account. The shared token source and bearer handler are registered for it.</summary>
    public Func<TOptions, OAuth2ClientCredentials>? OAuth2 { get; init; }

    /// <summary>Creates the adapter over the client's named <see cref="HttpClient"/>, with everything the registration gives every adapter.</summary>
    public required Func<IServiceProvider, Adapters.ClientWiring, TOptions, HttpClient, IContactListClient> CreateClient { get; init; }
}
