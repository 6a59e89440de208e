// Several instances of one app share one Whippy account through Redis, against the local emulator enforcing
// Whippy's documented limit of 10 contact-list writes a minute (on a clock scaled 40 times faster, so a minute
// lasts 1.5 s). Each instance is its own service provider, as separate processes would be.
//
//   dotnet run --project samples/ScaleOut -- [redis configuration, default localhost:6379]
//
// It prints, for 1, 2 and 4 instances sharing the account, and for 4 pacing alone, how much of the limit they
// used together and how many 429s the provider sent.
using System.Globalization;
using ContactLists;
using ContactLists.Emulator;
using ContactLists.Providers.Whippy;
using ContactLists.Redis;
using Microsoft.Extensions.DependencyInjection;

const double Scale = 0.025;
const int WriteLimit = 10;
const int Writes = 40;
var window = TimeSpan.FromMinutes(1) * Scale;
var redis = args.Length > 0 ? args[0] : "localhost:6379";

Console.WriteLine($"Whippy: {WriteLimit} contact-list writes per {window.TotalSeconds:0.##} s (a minute scaled by {Scale}); {Writes} writes per run; Redis at {redis}");
Console.WriteLine("instances | shared | writes/window | share of the limit | 429s");
foreach (var (count, shared) in new[] { (1, true), (2, true), (4, true), (4, false) })
{
    await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions
    {
        RateLimits = EmulatorRateLimits.Scaled,
        RateLimitWindowScale = Scale,
    });
    var instances = Enumerable.Range(0, count).Select(_ => StartInstance(emulator, shared ? redis : null)).ToList();
    var clients = instances.Select(i => i.GetRequiredKeyedService<IContactListClient>("whippy")).ToList();
    var list = await clients[0].CreateListAsync(new NewContactList("Scale-out"));

    // One write is the list's creation; the rest are batches of 3 contacts, shared out between the instances.
    var batches = Writes - 1;
    var runs = clients.Select((client, i) =>
    {
        var mine = batches / count + (i < batches % count ? 1 : 0);
        var contacts = Enumerable.Range(i * 1000, mine * 3).Select(n => new Contact { Phone = "+1415555" + n.ToString("D4", CultureInfo.InvariantCulture) });
        return client.AddContactsAsync(list.Id, contacts, new BulkOptions { MaxConcurrency = 1 });
    });
    await Task.WhenAll(runs);

    var writes = emulator.Log.Requests
        .Where(r => r.Method != "GET" && r.Path.Contains("/v1/contacts/lists", StringComparison.Ordinal) && r.StatusCode < 300)
        .Select(r => r.At).Order().ToList();
    var span = writes[^1] - writes[0];
    // At exactly the limit, n writes span (n / limit - 1) windows: the share used is that ideal span over the real one.
    var used = writes.Count / (double)WriteLimit * window / (span + window);
    var rejected = emulator.Log.Requests.Count(r => r.StatusCode == 429);
    Console.WriteLine($"{count,9} | {(shared ? "Redis" : "no"),6} | {used * WriteLimit,13:0.0} | {used,18:P1} | {rejected,4}");

    foreach (var instance in instances)
    {
        await instance.DisposeAsync();
    }
}

static ServiceProvider StartInstance(ContactListsEmulator emulator, string? redis)
{
    var services = new ServiceCollection();
    services.AddContactLists(builder =>
    {
        var whippy = builder.AddWhippy("whippy", options =>
        {
            options.BaseAddress = emulator.Whippy.BaseAddress;
            options.ApiKey = emulator.Whippy.ApiKey;
            options.BatchSize = 3;
            // The documented limits on the emulator's scaled clock, with the SDK's usual margin.
            options.ContactListWriteWindow = TimeSpan.FromSeconds(61) * Scale;
            options.RequestWindow = TimeSpan.FromMilliseconds(1050) * Scale;
        });
        if (redis is not null)
        {
            // Share this account's budget (and, for OAuth2 providers, its token) with every instance using it.
            whippy.UseRedis(redis);
        }
    });
    return services.BuildServiceProvider();
}
