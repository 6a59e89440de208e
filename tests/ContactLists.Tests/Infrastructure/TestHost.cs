using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;

namespace ContactLists.Tests.Infrastructure;

/// <summary>What the test hosts (<see cref="TestProvider.TestProviderHost"/>, <see cref="WhippyTestHost"/>) share.</summary>
public static class TestHost
{
    /// <summary>The name the test hosts register their one client under.</summary>
    public const string ClientName = "marketing";

    /// <summary>
    /// A service provider holding the one client <paramref name="register"/> adds under <see cref="ClientName"/>, the
    /// way a user registers it, with fast retries where the test does not drive the clock itself.
    /// </summary>
    public static ServiceProvider Build(
        Func<ContactListsBuilder, ContactListClientBuilder> register,
        TimeProvider? timeProvider,
        HttpMessageHandler? primaryHandler,
        Action<HttpStandardResilienceOptions>? resilience,
        Action<ILoggingBuilder>? logging)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddLogging(b => logging?.Invoke(b));
        services.AddContactLists(b =>
        {
            var client = register(b);
            client.ConfigureResilience(r =>
            {
                if (timeProvider is null)
                {
                    r.Retry.Delay = TimeSpan.FromMilliseconds(1);
                }

                resilience?.Invoke(r);
            });
            if (primaryHandler is not null)
            {
                client.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => primaryHandler);
            }
        });
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    /// <summary>A valid contact with a distinct, valid US number (valid for every phone-keyed provider).</summary>
    public static Contact Contact(int i) => new() { Phone = $"+1415555{i % 10000:D4}", FirstName = "Contact", LastName = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    /// <summary>The client registered under <see cref="ClientName"/>.</summary>
    public static IContactListClient Client(this ServiceProvider services) => services.GetRequiredService<IContactListClientFactory>().GetClient(ClientName);
}
