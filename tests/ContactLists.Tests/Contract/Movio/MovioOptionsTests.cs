using ContactLists.Providers.Movio;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Contract.Movio;

/// <summary>Movio's settings are validated at start-up, with messages naming each setting by its configuration path.</summary>
public sealed class MovioOptionsTests
{
    [Fact]
    public async Task Movio_needs_its_api_address_credentials_and_a_region()
    {
        var message = await StartupValidation.FailureAsync(b => b.AddMovio("cinema"));

        message.Should().Contain("ContactLists:Movio:cinema:BaseAddress is required")
            .And.Contain("ContactLists:Movio:cinema:ClientId is required")
            .And.Contain("ContactLists:Movio:cinema:ClientSecret is required")
            .And.Contain("ContactLists:Movio:cinema:Region is required");
    }

    [Fact]
    public async Task Movio_binds_from_configuration_and_derives_issuer_and_audience()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ContactLists:Movio:cinema:BaseAddress"] = "https://api.eu.movio.example/",
            ["ContactLists:Movio:cinema:Region"] = "Us",
            ["ContactLists:Movio:cinema:ClientId"] = "id",
            ["ContactLists:Movio:cinema:ClientSecret"] = "movio-secret-value",
        }).Build();
        var services = new ServiceCollection();
        services.AddContactLists(configuration, b => b.AddMovio());
        await using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptionsMonitor<MovioOptions>>().Get("cinema");

        options.EffectiveTokenEndpoint.Should().Be(new Uri("https://auth-us.eq.movio.co/oauth/token"));
        options.EffectiveAudience.Should().Be("https://api.eu.movio.example");
        options.ToString().Should().NotContain("movio-secret-value");
        provider.GetRequiredService<IContactListClientFactory>().GetClient("cinema").ProviderName.Should().Be("Movio");
    }
}
