using ContactLists.Providers.SlickText;
using ContactLists.Providers.Whippy;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

internal static class Clients
{
    public const string ApiKey = "benchmark-key";

    /// <summary>A Whippy client as a user registers it, with client-side pacing off (a benchmark measures the SDK, not the provider's quota).</summary>
    public static (ServiceProvider Services, IContactListClient Client) Whippy(Uri baseAddress, HttpMessageHandler? primary = null, Action<WhippyOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            var client = b.AddWhippy("bench", o =>
            {
                o.BaseAddress = baseAddress;
                o.ApiKey = ApiKey;
                o.EnablePacing = false;
                configure?.Invoke(o);
            });
            if (primary is not null)
            {
                client.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => primary);
            }
        });
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredKeyedService<IContactListClient>("bench"));
    }

    public static (ServiceProvider Services, IContactListClient Client) SlickText(HttpMessageHandler primary, int pageSize)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddSlickText("bench", o =>
        {
            o.BaseAddress = new Uri("https://dev.slicktext.test");
            o.ApiKey = ApiKey;
            o.BrandId = 1;
            o.PageSize = pageSize;
            o.EnablePacing = false;
        }).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => primary));
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredKeyedService<IContactListClient>("bench"));
    }

    public static Contact Contact(int i) => new() { Phone = $"+14152{i % 1_000_000:D6}", FirstName = "Bench", LastName = "Mark" };
}
