using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Contract.SlickText;

/// <summary>SlickText's settings are validated at start-up, with messages naming each setting by its configuration path.</summary>
public sealed class SlickTextOptionsTests
{
    [Fact]
    public async Task SlickText_names_its_missing_settings()
    {
        var message = await StartupValidation.FailureAsync(b => b.AddSlickText("brand", o => o.BrandId = -3));

        message.Should().Contain("ContactLists:SlickText:brand:ApiKey is required")
            .And.Contain("ContactLists:SlickText:brand:BrandId must be the brand's positive numeric id");
    }
}
