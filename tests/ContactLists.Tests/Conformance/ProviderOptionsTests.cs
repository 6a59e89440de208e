using ContactLists.Providers.Movio;
using ContactLists.Providers.Octopush;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactLists.Tests.Conformance;

/// <summary>Each provider's settings are validated at start-up, with messages naming the setting, and keep secrets out of ToString.</summary>
public sealed class ProviderOptionsTests
{
    private static async Task<string> StartupFailureAsync(Action<ContactListsBuilder> configure)
    {
        var services = new ServiceCollection();
        services.AddContactLists(configure);
        await using var provider = services.BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
        }
        catch (OptionsValidationException ex)
        {
            return ex.Message;
        }
        catch (AggregateException ex) when (ex.InnerExceptions.All(e => e is OptionsValidationException))
        {
            // Several clients with invalid settings: one failure each.
            return string.Join(" | ", ex.InnerExceptions.Select(e => e.Message));
        }

        throw new InvalidOperationException("Start-up validation passed, but it should have failed.");
    }

    [Fact]
    public async Task Movio_needs_its_api_address_credentials_and_a_region()
    {
        var message = await StartupFailureAsync(b => b.AddMovio("cinema"));

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

    [Fact]
    public async Task Octopush_needs_login_and_key_and_a_short_tag()
    {
        var message = await StartupFailureAsync(b => b.AddOctopush("sms", o => o.TagName = "a-tag-longer-than-twenty"));

        message.Should().Contain("ContactLists:Octopush:sms:ApiLogin is required")
            .And.Contain("ContactLists:Octopush:sms:ApiKey is required")
            .And.Contain("ContactLists:Octopush:sms:TagName must be 1 to 20 characters");
        new OctopushOptions { ApiKey = "octo-secret" }.ToString().Should().NotContain("octo-secret");
    }

    [Fact]
    public async Task SlickText_and_Messengeo_name_their_missing_settings()
    {
        var message = await StartupFailureAsync(b =>
        {
            b.AddSlickText("brand", o => o.BrandId = -3);
            b.AddMessengeo("crm", o => o.TokenEndpoint = new Uri("http://oauth.messengeo.example/token"));
        });

        message.Should().Contain("ContactLists:SlickText:brand:ApiKey is required")
            .And.Contain("ContactLists:SlickText:brand:BrandId must be the brand's positive numeric id")
            .And.Contain("ContactLists:Messengeo:crm:ClientId is required")
            .And.Contain("ContactLists:Messengeo:crm:TokenEndpoint must use https");
    }

    [Fact]
    public void Names_are_unique_across_providers()
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => services.AddContactLists(b =>
        {
            b.AddWhippy("main", o => o.ApiKey = "k");
            b.AddOctopush("main", o => { o.ApiLogin = "l"; o.ApiKey = "k"; });
        })).Should().Throw<InvalidOperationException>().WithMessage("*'main' is already registered*");
    }
}
