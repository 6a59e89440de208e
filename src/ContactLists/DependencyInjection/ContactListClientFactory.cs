using Microsoft.Extensions.DependencyInjection;

namespace ContactLists;

/// <summary>A registered client's name and provider, for the factory's listing.</summary>
internal sealed record ContactListClientRegistration(string Name, string ProviderName);

internal sealed class ContactListClientFactory(IServiceProvider services, IEnumerable<ContactListClientRegistration> registrations) : IContactListClientFactory
{
    private readonly string[] _names = registrations.Select(r => r.Name).ToArray();

    public IReadOnlyCollection<string> ClientNames => _names;

    public IContactListClient GetClient(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!_names.Contains(name, StringComparer.Ordinal))
        {
            var known = _names.Length == 0 ? "none is registered" : "registered: " + string.Join(", ", _names);
            throw new KeyNotFoundException($"No contact-list client is named '{name}' ({known}).");
        }

        return services.GetRequiredKeyedService<IContactListClient>(name);
    }
}
