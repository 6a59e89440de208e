using ContactLists.Tests.Infrastructure;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.Conformance;

/// <summary>
/// What holds across providers' settings. Each provider's own start-up messages are tested in its folder
/// (Contract/{Provider}/{Provider}OptionsTests), with <see cref="StartupValidation"/>.
/// </summary>
public sealed class ProviderOptionsTests
{
    [Fact]
    public async Task Every_invalid_account_is_reported_at_start_up_not_only_the_first()
    {
        var message = await StartupValidation.FailureAsync(b =>
        {
            b.AddTestProvider("first");
            b.AddTestProvider("second", o => o.ApiKey = "k");
            b.AddTestProvider("third", o => o.BatchSize = 0);
        });

        message.Should().Contain("ContactLists:Test:first:ApiKey is required")
            .And.Contain("ContactLists:Test:third:ApiKey is required")
            .And.Contain("ContactLists:Test:third:BatchSize must be between 1 and 1000, but is 0")
            .And.NotContain("ContactLists:Test:second:");
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
