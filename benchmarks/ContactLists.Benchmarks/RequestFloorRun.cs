using System.Diagnostics;
using System.Globalization;
using ContactLists.Emulator;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

/// <summary>
/// Benchmark 5: what bulk calls cost SlickText and Messengeo (whose membership calls take their own contact ids), in
/// requests per input contact, for <see cref="Input"/> contacts into an account that already holds
/// <see cref="Seeded"/> others, and how long that takes at the documented limits. The emulator enforces SlickText's
/// 240 requests a minute with every window scaled ×<see cref="Scale"/> (the SDK's pacing scaled the same way), so
/// the paced wall time divided by the scale is the time at the documented limit. Messengeo documents no limit: its
/// time is how fast the loopback emulator answers. A "new process" is a new service container (a new identity map).
/// One measured run per scenario: its figures of merit are counts and a paced time, not a per-operation time.
/// </summary>
internal static class RequestFloorRun
{
    private const int Seeded = 10_000;
    private const int Input = 2_000;
    private const double Scale = 0.01;

    public static async Task RunAsync()
    {
        Console.WriteLine($"Requests per input contact, {Input:N0} contacts into an account holding {Seeded:N0} others");
        Console.WriteLine("| scenario | provider | requests | per contact | paced wall time | at the documented limit |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var provider in new[] { "SlickText", "Messengeo" })
        {
            await RunAsync(provider);
        }
    }

    private static async Task RunAsync(string provider)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Scaled, RateLimitWindowScale = Scale, SeedContacts = Seeded });
        var contacts = Enumerable.Range(0, Input).Select(Customer).ToList();
        string listId;
        await using (var first = Process(provider, emulator))
        {
            listId = (await Client(first).CreateListAsync(new NewContactList("Customers"))).Id;
            await Measure(provider, emulator, "add 2,000 new", c => c.AddContactsAsync(listId, contacts), first, Input);
            await Measure(provider, emulator, "add the same again, same process", c => c.AddContactsAsync(listId, contacts), first, Input);
        }

        await using (var second = Process(provider, emulator))
        {
            await Measure(provider, emulator, "add again, new process", c => c.AddContactsAsync(listId, contacts), second, Input);
        }

        await using (var third = Process(provider, emulator))
        {
            await Measure(provider, emulator, "remove 1,000, new process", c => c.RemoveContactsAsync(listId, contacts.Take(Input / 2)), third, Input / 2);
        }

        var replacement = contacts.Skip(Input / 10).Concat(Enumerable.Range(Input, Input / 10).Select(Customer)).ToList();
        await using (var fourth = Process(provider, emulator))
        {
            await Measure(provider, emulator, "replace with 2,000 (10% new), new process", c => c.ReplaceContactsAsync(listId, replacement), fourth, Input);
        }
    }

    private static async Task Measure(string provider, ContactListsEmulator emulator, string scenario, Func<IContactListClient, Task<BulkResult>> call, ServiceProvider services, int contacts)
    {
        emulator.Log.Clear();
        var started = Stopwatch.GetTimestamp();
        var result = await call(Client(services));
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!result.IsComplete)
        {
            throw new InvalidOperationException($"{provider} {scenario}: {result}");
        }

        var requests = emulator.Log.Requests.Count;
        var atLimit = provider == "SlickText" ? Format(elapsed / Scale) : "no documented limit";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {scenario} | {provider} | {requests:N0} | {(double)requests / contacts:0.000} | {elapsed.TotalSeconds:0.00} s | {atLimit} |"));
    }

    private static string Format(TimeSpan time) => time.TotalHours >= 1 ? $"{time.TotalHours:0.0} h" : time.TotalMinutes >= 1 ? $"{time.TotalMinutes:0.0} min" : $"{time.TotalSeconds:0} s";

    private static Contact Customer(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+1615556{i:D4}"),
        Email = string.Create(CultureInfo.InvariantCulture, $"customer{i}@example.com"),
        FirstName = "Customer",
    };

    private static ServiceProvider Process(string provider, ContactListsEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            if (provider == "SlickText")
            {
                b.AddSlickText("target", o =>
                {
                    o.BaseAddress = emulator.SlickText.BaseAddress;
                    o.ApiKey = emulator.SlickText.ApiKey;
                    o.RequestWindow = TimeSpan.FromSeconds(61 * Scale);
                });
            }
            else
            {
                b.AddMessengeo("target", o =>
                {
                    o.BaseAddress = emulator.Messengeo.BaseAddress;
                    o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
                    o.ClientId = emulator.Messengeo.ClientId;
                    o.ClientSecret = emulator.Messengeo.ClientSecret;
                });
            }
        });
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("target");
}
