using ContactLists.Emulator;
using ContactLists.Tests.Reliability;
using Microsoft.Extensions.Diagnostics.HealthChecks;

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

        report.Entries.Keys.Should().BeEquivalentTo("contactlists:whippy", "contactlists:movio", "contactlists:octopush", "contactlists:slicktext", "contactlists:messengeo");
        report.Entries.Values.Should().OnlyContain(e => e.Status == HealthStatus.Healthy && e.Tags.Contains("ready"));
        foreach (var name in new[] { "whippy", "movio", "slicktext", "messengeo" })
        {
            report.Entries["contactlists:" + name].Data["probed"].Should().Be(true, name + " was probed");
        }

        report.Entries["contactlists:octopush"].Data["probed"].Should().Be(false);
        report.Entries["contactlists:octopush"].Description.Should().Contain("not probed");
        report.Entries["contactlists:movio"].Description.Should().Contain("OAuth2 token");
        // Reads, and the OAuth2 token requests; nothing else.
        emulator.Log.Requests.Should().NotBeEmpty().And.OnlyContain(r => r.Method == "GET" || r.Path.EndsWith("/token", StringComparison.Ordinal));
        emulator.Log.Requests.Select(r => r.Provider).Distinct().Should().BeEquivalentTo("Whippy", "Movio", "SlickText", "Messengeo");
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
}
