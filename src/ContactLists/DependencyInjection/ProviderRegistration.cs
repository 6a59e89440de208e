using System.Diagnostics.CodeAnalysis;
using ContactLists.Http;
using ContactLists.Http.OAuth2;
using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ContactLists.Adapters;

namespace ContactLists;

/// <summary>The registration every provider shares: options, validation, the HTTP pipeline, the factory and keyed services.</summary>
internal static class ProviderRegistration
{
    public static ContactListClientBuilder Add<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(ContactListsBuilder builder, ProviderDescriptor<TOptions> provider, string name, Action<TOptions>? configure)
        where TOptions : ContactListClientOptions, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ClaimName(name);
        var services = builder.Services;
        var settingPath = $"{ContactListDefaults.ConfigurationSection}:{provider.ProviderName}:{name}";

        var options = services.AddOptions<TOptions>(name);
        if (builder.Configuration is not null)
        {
            provider.Bind(options, builder.Configuration.GetSection($"{provider.ProviderName}:{name}"));
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.AddSingleton<IValidateOptions<TOptions>>(new ClientOptionsValidator<TOptions>(name, settingPath));
        options.ValidateOnStart();

        TOptions Get(IServiceProvider sp) => sp.GetRequiredService<IOptionsMonitor<TOptions>>().Get(name);

        ProviderAccount Account(IServiceProvider sp)
        {
            var options = Get(sp);
            // OAuth2 accounts are identified by token endpoint and client id; others by what their descriptor names.
            var identity = provider.OAuth2?.Invoke(options) is { } credentials
                ? credentials.TokenEndpoint + "\n" + credentials.ClientId
                : provider.AccountIdentity?.Invoke(options) ?? throw new InvalidOperationException($"{provider.ProviderName} declares no account identity.");
            return new ProviderAccount(provider.ProviderName, name, options.SharedAccountId ?? ProviderAccount.Fingerprint(BaseAddressRules.Effective(options.BaseAddress!, provider.Profile.DocumentedPathPrefix), identity));
        }

        Func<IServiceProvider, DelegatingHandler> authentication;
        if (provider.OAuth2 is { } oauth2)
        {
            OAuth2Registration.Add(services, name, provider.ProviderName, sp => oauth2(Get(sp)), Account);
            authentication = sp => OAuth2Registration.BearerHandler(sp, name);
        }
        else
        {
            var handler = provider.Authentication ?? throw new InvalidOperationException($"{provider.ProviderName} declares no authentication.");
            authentication = sp => handler(sp, name, Get(sp));
        }

        var http = ProviderPipeline.AddHttpClient(services, name, provider.Profile, Get, sp => provider.PacingRules(Get(sp)), Account, authentication);

        var httpClientName = ProviderPipeline.HttpClientName(name);
        services.AddKeyedTransient<IContactListClient>(name, (sp, _) =>
        {
            var options = Get(sp);
            var wiring = new ClientWiring(
                name,
                sp.GetRequiredKeyedService<ProviderAccount>(name),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetService<ILoggerFactory>()?.CreateLogger("ContactLists." + provider.ProviderName) ?? NullLogger.Instance,
                sp.GetKeyedService<ClientPacer>(name),
                [.. provider.PacingRules(options)],
                BaseAddressRules.Effective(options.BaseAddress!, provider.Profile.DocumentedPathPrefix));
            return provider.CreateClient(sp, wiring, options, sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName));
        });
        services.AddSingleton(new ContactListClientRegistration(name, provider.ProviderName));
        // The account as shared stores name it (a one-way fingerprint), for adapters that keep what they learn per account.
        services.AddKeyedSingleton(name, (sp, _) => Account(sp));
        return new ContactListClientBuilder(name, provider.ProviderName, http);
    }

    /// <summary>Registers the provider's typed Refit API of account <paramref name="name"/> as a keyed service, over the account's pipeline.</summary>
    public static void AddTypedApi<TApi>(ContactListsBuilder builder, string name, Refit.RefitSettings settings)
        where TApi : class
    {
        var httpClientName = ProviderPipeline.HttpClientName(name);
        builder.Services.AddKeyedTransient<TApi>(name, (sp, _) =>
            Refit.RestService.ForGenerated<TApi>(sp.GetRequiredService<IHttpClientFactory>().CreateClient(httpClientName), settings));
    }

    /// <summary>Calls <paramref name="add"/> for every account found under <c>ContactLists:{provider}</c> in configuration.</summary>
    public static void ForEachConfiguredAccount(ContactListsBuilder builder, string providerName, Action<string> add)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Configuration is null)
        {
            throw new InvalidOperationException(
                $"Add{providerName}() without a name registers the accounts found in configuration, but AddContactLists was not given any; " +
                $"call services.AddContactLists(configuration, b => b.Add{providerName}()) or name the account.");
        }

        foreach (var account in builder.Configuration.GetSection(providerName).GetChildren())
        {
            add(account.Key);
        }
    }

    private sealed class ClientOptionsValidator<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(string name, string settingPath) : IValidateOptions<TOptions>
        where TOptions : ContactListClientOptions, new()
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options)
        {
            if (!string.Equals(optionsName, name, StringComparison.Ordinal))
            {
                return ValidateOptionsResult.Skip;
            }

            var problems = new List<string>();
            options.Validate(settingPath, problems);
            return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
        }
    }
}
