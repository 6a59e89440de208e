using ContactLists.Tests.Infrastructure.TestProvider;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactLists.Tests.DependencyInjection;

/// <summary>Registration, configuration binding, start-up validation and secret hygiene, on the test-only provider.</summary>
public sealed class RegistrationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values)
        => new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();

    private static void ValidateAtStart(IServiceProvider provider) => provider.GetRequiredService<IStartupValidator>().Validate();

    [Fact]
    public async Task Several_named_accounts_of_one_provider_are_bound_from_configuration()
    {
        var configuration = Configuration(
            ("ContactLists:Test:marketing:ApiKey", "key-one"),
            ("ContactLists:Test:support:ApiKey", "key-two"),
            ("ContactLists:Test:support:BatchSize", "500"),
            ("ContactLists:Test:support:Tags:0", "tag-1"),
            ("ContactLists:Whippy:elsewhere:ApiKey", "not-this-provider"));
        var services = new ServiceCollection();
        services.AddContactLists(configuration, b => b.AddTestProvider());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        ValidateAtStart(provider);

        var factory = provider.GetRequiredService<IContactListClientFactory>();
        factory.ClientNames.Should().BeEquivalentTo("marketing", "support");
        factory.GetClient("support").ProviderName.Should().Be("Test");
        provider.GetRequiredKeyedService<IContactListClient>("marketing").ClientName.Should().Be("marketing");
        provider.GetRequiredKeyedService<ITestProviderApi>("support").Should().NotBeNull();
        var support = provider.GetRequiredService<IOptionsMonitor<TestProviderOptions>>().Get("support");
        support.ApiKey.Should().Be("key-two");
        support.BatchSize.Should().Be(500);
        support.Tags.Should().Equal("tag-1");
        support.BaseAddress.Should().Be(new TestProviderOptions().BaseAddress, "the provider's default applies where nothing is set");
    }

    [Fact]
    public async Task Code_configuration_applies_over_bound_configuration()
    {
        var configuration = Configuration(("ContactLists:Test:marketing:ApiKey", "from-config"), ("ContactLists:Test:marketing:BatchSize", "100"));
        var services = new ServiceCollection();
        services.AddContactLists(configuration, b => b.AddTestProvider("marketing", o => o.BatchSize = 200));
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptionsMonitor<TestProviderOptions>>().Get("marketing");

        options.ApiKey.Should().Be("from-config");
        options.BatchSize.Should().Be(200);
    }

    [Fact]
    public async Task A_missing_api_key_fails_at_start_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider("marketing"));
        await using var provider = services.BuildServiceProvider();

        var error = FluentActions.Invoking(() => ValidateAtStart(provider)).Should().Throw<OptionsValidationException>().Which;

        error.Message.Should().Contain("ContactLists:Test:marketing:ApiKey is required");
    }

    [Theory]
    [InlineData("http://api.test-provider.example", false)]
    [InlineData("ftp://api.test-provider.example", false)]
    [InlineData("https://api.test-provider.example", true)]
    [InlineData("http://127.0.0.1:5080/test", true)]
    [InlineData("http://localhost:5080/test", true)]
    [InlineData("http://[::1]:5080/test", true)]
    public async Task A_base_address_must_be_https_unless_it_is_loopback(string address, bool accepted)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider("marketing", o =>
        {
            o.ApiKey = "k";
            o.BaseAddress = new Uri(address);
        }));
        await using var provider = services.BuildServiceProvider();

        var validate = FluentActions.Invoking(() => ValidateAtStart(provider));

        if (accepted)
        {
            validate.Should().NotThrow();
        }
        else
        {
            validate.Should().Throw<OptionsValidationException>().WithMessage("*ContactLists:Test:marketing:BaseAddress must use https*");
        }
    }

    [Fact]
    public async Task Out_of_range_settings_are_named()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider("marketing", o =>
        {
            o.ApiKey = "k";
            o.BatchSize = 5000;
            o.RequestsPerWindow = 0;
        }));
        await using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => ValidateAtStart(provider)).Should().Throw<OptionsValidationException>()
            .Which.Failures.Should().Contain(f => f.Contains("ContactLists:Test:marketing:BatchSize must be between 1 and 1000", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("pacing limits", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_is_registered_once()
    {
        var services = new ServiceCollection();

        FluentActions.Invoking(() => services.AddContactLists(b =>
        {
            b.AddTestProvider("marketing", o => o.ApiKey = "a");
            b.AddTestProvider("marketing", o => o.ApiKey = "b");
        })).Should().Throw<InvalidOperationException>().WithMessage("*'marketing' is already registered*");
    }

    [Fact]
    public void A_name_is_registered_once_across_AddContactLists_calls_too()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider("marketing", o => o.ApiKey = "a"));

        FluentActions.Invoking(() => services.AddContactLists(b => b.AddTestProvider("marketing", o => o.ApiKey = "b")))
            .Should().Throw<InvalidOperationException>().WithMessage("*'marketing' is already registered*");
        FluentActions.Invoking(() => services.AddContactLists(b => b.AddTestProvider("support", o => o.ApiKey = "c"))).Should().NotThrow("another name is fine");
        new ServiceCollection().AddContactLists(b => b.AddTestProvider("marketing", o => o.ApiKey = "d")).Should().NotBeNull("names are per service collection");
    }

    [Fact]
    public async Task An_unknown_client_name_lists_the_registered_ones()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider("marketing", o => o.ApiKey = "a"));
        await using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IContactListClientFactory>().GetClient("sales"))
            .Should().Throw<KeyNotFoundException>().WithMessage("*'sales'*registered: marketing*");
    }

    [Fact]
    public void Registering_every_configured_account_needs_configuration()
    {
        FluentActions.Invoking(() => new ServiceCollection().AddContactLists(b => b.AddTestProvider()))
            .Should().Throw<InvalidOperationException>().WithMessage("*configuration*");
    }

    [Fact]
    public async Task No_log_line_and_no_exception_shows_the_api_key()
    {
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? StubHandler.Json(System.Net.HttpStatusCode.ServiceUnavailable, "{}")
            : StubHandler.Json(System.Net.HttpStatusCode.Unauthorized, TestProviderHost.Error("Not authenticated"))));
        await using var provider = TestProviderHost.Build(
            primaryHandler: stub,
            logging: b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());

        var error = (await FluentActions.Awaiting(() => provider.Client().GetListAsync("l1")).Should().ThrowAsync<ContactListAuthenticationException>()).Which;

        stub.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Headers[TestProvider.ApiKeyHeader] == TestProviderHost.ApiKey, "the key is sent");
        var logs = provider.GetFakeLogCollector().GetSnapshot();
        logs.Should().NotBeEmpty();
        logs.Should().Contain(l => l.Level == LogLevel.Warning && l.Message.Contains("Test answered 401 to GET /lists/l1", StringComparison.Ordinal));
        logs.Should().NotContain(l => l.Message.Contains(TestProvider.ApiKeyHeader, StringComparison.OrdinalIgnoreCase), "no header is logged, not even redacted");
        foreach (var record in logs)
        {
            record.Message.Should().NotContain(TestProviderHost.ApiKey);
            (record.StructuredState ?? []).Should().NotContain(s => s.Value != null && s.Value.Contains(TestProviderHost.ApiKey, StringComparison.Ordinal));
        }

        error.ToString().Should().NotContain(TestProviderHost.ApiKey);
        error.ErrorBody.Should().NotContain(TestProviderHost.ApiKey);
    }

    [Fact]
    public async Task Routine_successful_attempts_are_not_logged_at_Information_but_retried_failures_still_are()
    {
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? StubHandler.Json(System.Net.HttpStatusCode.ServiceUnavailable, "{}")
            : StubHandler.Json(System.Net.HttpStatusCode.OK, TestProviderHost.ListJson)));
        await using var provider = TestProviderHost.Build(
            primaryHandler: stub,
            logging: b => b.SetMinimumLevel(LogLevel.Information).AddFakeLogging());

        await provider.Client().GetListAsync("l1");
        await provider.Client().GetListAsync("l1");

        var polly = provider.GetFakeLogCollector().GetSnapshot().Where(l => l.Category?.StartsWith("Polly", StringComparison.Ordinal) == true).ToList();
        polly.Should().ContainSingle(l => l.Message.Contains("Execution attempt", StringComparison.Ordinal), "the one failed attempt that was retried")
            .Which.Level.Should().Be(LogLevel.Warning);
        polly.Should().NotContain(l => l.Message.Contains("'200'", StringComparison.Ordinal), "a successful attempt is routine");
    }
}
