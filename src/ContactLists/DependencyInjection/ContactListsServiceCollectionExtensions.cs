using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ContactLists;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the ContactLists SDK.</summary>
public static class ContactListsServiceCollectionExtensions
{
    /// <summary>Registers contact-list clients configured in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Adds clients, such as <c>b =&gt; b.AddWhippy("marketing", o =&gt; o.ApiKey = key)</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddContactLists(this IServiceCollection services, Action<ContactListsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        configure(AddCore(services, null));
        return services;
    }

    /// <summary>
    /// Registers contact-list clients bound from configuration: the section <c>ContactLists</c>, with one sub-section per
    /// provider and one per named account below it (<c>ContactLists:Whippy:marketing:ApiKey</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The application's configuration (its <c>ContactLists</c> section is used), or that section itself.</param>
    /// <param name="configure">Adds clients; <c>b.AddWhippy()</c> adds every account under <c>ContactLists:Whippy</c>.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddContactLists(this IServiceCollection services, IConfiguration configuration, Action<ContactListsBuilder> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(configure);
        var section = configuration is IConfigurationSection { Key: ContactListDefaults.ConfigurationSection } own
            ? own
            : configuration.GetSection(ContactListDefaults.ConfigurationSection);
        configure(AddCore(services, section));
        return services;
    }

    private static ContactListsBuilder AddCore(IServiceCollection services, IConfiguration? section)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IContactListClientFactory, ContactListClientFactory>();
        // One identity map per container: what a SlickText or Messengeo account's answers showed, for every client of it.
        services.TryAddSingleton<ContactLists.Sharing.IContactIdentityMap>(_ => new ContactLists.Sharing.InProcessContactIdentityMap(ContactLists.Sharing.InProcessContactIdentityMap.DefaultCapacity));
        // What syncs sent, per list: in the process unless a ledger that outlives it is registered (SQLite, Redis).
        services.TryAddSingleton<ISyncLedger, InMemorySyncLedger>();
        return new ContactListsBuilder(services, section);
    }
}
