using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Contract.Messengeo;

/// <summary>Messengeo's settings are validated at start-up, with messages naming each setting by its configuration path.</summary>
public sealed class MessengeoOptionsTests
{
    [Fact]
    public async Task Messengeo_names_its_missing_settings()
    {
        var message = await StartupValidation.FailureAsync(b => b.AddMessengeo("crm", o => o.TokenEndpoint = new Uri("http://oauth.messengeo.example/token")));

        message.Should().Contain("ContactLists:Messengeo:crm:ClientId is required")
            .And.Contain("ContactLists:Messengeo:crm:TokenEndpoint must use https");
    }
}
