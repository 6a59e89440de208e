using System.Text.Json;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Conformance;

/// <summary>One health check per account, each an authenticated read (or a token request), never a write.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task Every_account_gets_a_check_that_reads_and_never_writes()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        // Registered before the accounts: the checks are found whenever the accounts are registered.
        services.AddHealthChecks().AddContactListsHealthChecks(tags: ["ready"]);
        services.AddContactLists(b =>
        {
            foreach (var target in ReliabilityTarget.All.Values)
            {
                target.Register(b, emulator, target.Name.ToLowerInvariant());
            }
        });
        await using var provider = services.BuildServiceProvider();

        var report = await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        report.Entries.Keys.Should().BeEquivalentTo(ReliabilityTarget.All.Keys.Select(name => "contactlists:" + name.ToLowerInvariant()));
        report.Entries.Values.Should().OnlyContain(e => e.Status == HealthStatus.Healthy && e.Tags.Contains("ready"));
        foreach (var target in ReliabilityTarget.All.Values)
        {
            report.Entries["contactlists:" + target.Name.ToLowerInvariant()].Data["probed"].Should().Be(target.HealthProbe, target.Name + (target.HealthProbe ? " documents a read to probe with" : " documents none"));
        }

        report.Entries["contactlists:octopush"].Data["probed"].Should().Be(false);
        report.Entries["contactlists:octopush"].Description.Should().Contain("not probed");
        report.Entries["contactlists:movio"].Description.Should().Contain("OAuth2 token");
        // Reads, and the OAuth2 token requests; nothing else.
        emulator.Log.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Method == "GET" || r.Path.EndsWith("/token", StringComparison.Ordinal));
        emulator.Log.Requests.Select(r => r.Provider).Distinct().Should().BeEquivalentTo(ReliabilityTarget.All.Values.Where(t => t.HealthProbe).Select(t => t.Name));
    }

    [Fact]
    public async Task A_refused_key_makes_the_account_unhealthy_without_showing_the_key()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        const string WrongKey = "wrong-whippy-key-123";
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddWhippy("whippy", o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = WrongKey;
        }));
        services.AddHealthChecks().AddContactListsHealthChecks(failureStatus: HealthStatus.Degraded);
        await using var provider = services.BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["contactlists:whippy"];

        entry.Status.Should().Be(HealthStatus.Degraded);
        entry.Data["status"].Should().Be(401);
        entry.Description.Should().Contain("Whippy").And.NotContain(WrongKey);

        emulator.Log.Requests.Should().OnlyContain(r => r.Method == "GET");
    }

    /// <summary>
    /// The documented <c>/health</c> mapping (docs/observability.md): ASP.NET Core's default writer prints only
    /// "Healthy"; with <see cref="ContactListsHealthCheckExtensions.WriteJsonAsync"/> every account is shown.
    /// </summary>
    [Fact]
    public async Task The_documented_response_writer_shows_each_account_with_its_status_and_data()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddContactLists(b =>
        {
            foreach (var target in ReliabilityTarget.All.Values)
            {
                target.Register(b, emulator, target.Name.ToLowerInvariant());
            }
        });
        builder.Services.AddHealthChecks().AddContactListsHealthChecks();
        await using var app = builder.Build();
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return ContactListsHealthCheckExtensions.WriteJsonAsync(context.Response.Body, report, context.RequestAborted);
            },
        });
        await app.StartAsync();

        var body = await app.GetTestClient().GetStringAsync(new Uri("/health", UriKind.Relative));

        using var json = JsonDocument.Parse(body);
        json.RootElement.GetProperty("status").GetString().Should().Be("Healthy");
        var entries = json.RootElement.GetProperty("entries");
        foreach (var target in ReliabilityTarget.All.Values)
        {
            var entry = entries.GetProperty("contactlists:" + target.Name.ToLowerInvariant());
            entry.GetProperty("status").GetString().Should().Be("Healthy");
            entry.GetProperty("data").GetProperty("provider").GetString().Should().Be(target.Name);
            entry.GetProperty("description").GetString().Should().EndWith(".").And.NotEndWith("..");
        }

        body.Should().NotContain(emulator.Whippy.ApiKey).And.NotContain(emulator.Movio.ClientSecret);
        await app.StopAsync();
    }

    /// <summary>A probe polled every few seconds does not spend the account's rate budget: each account's result is reused for its lifetime.</summary>
    [Fact]
    public async Task Each_accounts_result_is_reused_for_its_lifetime_then_probed_again()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddContactLists(b => ReliabilityTarget.All["Whippy"].Register(b, emulator, "whippy"));
        services.AddHealthChecks().AddContactListsHealthChecks(resultLifetime: TimeSpan.FromSeconds(20));
        await using var provider = services.BuildServiceProvider();
        var health = provider.GetRequiredService<HealthCheckService>();

        await health.CheckHealthAsync();
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => health.CheckHealthAsync()));
        clock.Advance(TimeSpan.FromSeconds(19));
        await health.CheckHealthAsync();
        var withinLifetime = emulator.Log.Requests.Count;
        clock.Advance(TimeSpan.FromSeconds(2));
        var later = await health.CheckHealthAsync();

        withinLifetime.Should().Be(1, "seven polls within 20 s share one probe");
        emulator.Log.Requests.Should().HaveCount(2, "the result is probed again once it is 20 s old");
        later.Entries["contactlists:whippy"].Status.Should().Be(HealthStatus.Healthy);
    }

    [Fact]
    public async Task A_zero_lifetime_probes_on_every_poll()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b => ReliabilityTarget.All["Whippy"].Register(b, emulator, "whippy"));
        services.AddHealthChecks().AddContactListsHealthChecks(resultLifetime: TimeSpan.Zero);
        await using var provider = services.BuildServiceProvider();

        for (var i = 0; i < 3; i++)
        {
            await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        }

        emulator.Log.Requests.Should().HaveCount(3);
    }

    [Fact]
    public void A_negative_lifetime_is_refused()
    {
        var act = () => new ServiceCollection().AddHealthChecks().AddContactListsHealthChecks(resultLifetime: TimeSpan.FromSeconds(-1));

        act.Should().Throw<ArgumentOutOfRangeException>().WithParameterName("resultLifetime");
    }

    /// <summary>SlickText's 401 says "Unauthenticated." itself: the description ends with one full stop, not two.</summary>
    [Fact]
    public async Task A_provider_message_ending_with_a_full_stop_does_not_get_a_second_one()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddSlickText("texts", o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = "wrong-slicktext-key";
        }));
        services.AddHealthChecks().AddContactListsHealthChecks();
        await using var provider = services.BuildServiceProvider();

        var entry = (await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["contactlists:texts"];

        entry.Status.Should().Be(HealthStatus.Unhealthy);
        entry.Description.Should().Contain("Unauthenticated.").And.NotContain("..");
    }
}
