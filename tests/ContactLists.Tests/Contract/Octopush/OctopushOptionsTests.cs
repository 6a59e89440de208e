using ContactLists.Providers.Octopush;
using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Contract.Octopush;

/// <summary>Octopush's settings are validated at start-up, with messages naming each setting by its configuration path.</summary>
public sealed class OctopushOptionsTests
{
    [Fact]
    public async Task Octopush_needs_login_and_key_and_a_short_tag()
    {
        var message = await StartupValidation.FailureAsync(b => b.AddOctopush("sms", o => o.TagName = "a-tag-longer-than-twenty"));

        message.Should().Contain("ContactLists:Octopush:sms:ApiLogin is required")
            .And.Contain("ContactLists:Octopush:sms:ApiKey is required")
            .And.Contain("ContactLists:Octopush:sms:TagName must be 1 to 20 characters");
        new OctopushOptions { ApiKey = "octo-secret" }.ToString().Should().NotContain("octo-secret");
    }
}
