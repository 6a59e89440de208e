using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Providers.Whippy;
using ContactLists.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;
using Xunit.Abstractions;

namespace ContactLists.Tests.ScaleOut;

/// <summary>
/// Several SDK instances (separate service providers, as separate processes would be) sharing one provider account
/// through a real redis-server, against the emulator enforcing the documented limits on a scaled clock.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class SharedBudgetTests(ITestOutputHelper output)
{
    // Whippy documents 10 contact-list writes a minute; the emulator enforces them with the minute scaled to 1.5 s.
    private const double Scale = 0.025;
    private const int WriteLimit = 10;
    private static readonly TimeSpan EnforcedWriteWindow = TimeSpan.FromMinutes(1) * Scale;

    [Fact]
    public async Task Four_instances_sharing_one_Whippy_account_get_no_429_and_use_at_least_90_percent_of_its_write_limit()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await StartEmulatorAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(emulator, b => b.UseRedis(redis.Configuration))).ToArray();
        try
        {
            var (listId, results) = await RunAsync(instances, emulator);

            results.Sum(r => r.Accepted + r.AcceptedForProcessing).Should().Be(117, "every contact was accepted");
            emulator.Log.Requests.Should().NotContain(r => r.StatusCode == 429, "the instances stayed under the limit together");
            emulator.Whippy.State.GetMemberPhones(listId).Should().HaveCount(117);

            var writes = WriteTimes(emulator);
            writes.Should().HaveCount(40);
            // At exactly the limit, n writes span (n / limit - 1) windows; the share of the limit used is the ideal span over the real one.
            var used = (writes.Count / (double)WriteLimit) * EnforcedWriteWindow / (writes[^1] - writes[0] + EnforcedWriteWindow);
            output.WriteLine($"40 writes in {(writes[^1] - writes[0]).TotalMilliseconds:F0} ms; {used:P1} of the limit used");
            used.Should().BeGreaterThanOrEqualTo(0.9, "the shared budget is used, not wasted (measured span {0})", writes[^1] - writes[0]);
        }
        finally
        {
            await instances.DisposeAllAsync();
        }
    }

    [Fact]
    public async Task Without_sharing_four_instances_exceed_the_limit_together()
    {
        // The control: the same run with each instance pacing alone meets the provider's 429s (some batches even
        // fail once their retries are spent), which is what sharing the budget prevents.
        await using var emulator = await StartEmulatorAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(emulator, _ => { })).ToArray();
        try
        {
            try
            {
                await RunAsync(instances, emulator);
            }
            catch (ContactListBulkException)
            {
                // Expected at times: a batch whose retries all met 429s.
            }

            emulator.Log.Requests.Should().Contain(r => r.StatusCode == 429);
        }
        finally
        {
            await instances.DisposeAllAsync();
        }
    }

    [Fact]
    public async Task When_Redis_dies_mid_run_each_instance_paces_alone_at_its_share_and_nothing_is_lost()
    {
        var redis = await RedisServer.StartAsync();
        await using var emulator = await StartEmulatorAsync();
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(emulator, b => b.UseRedis(redis.Configuration, o =>
        {
            o.FallbackShare = 0.25;
            o.OperationTimeout = TimeSpan.FromMilliseconds(300);
            o.RetryRedisAfter = TimeSpan.FromSeconds(30);
        }))).ToArray();
        try
        {
            var run = RunAsync(instances, emulator);
            // Let the first window's writes through on the shared budget, then kill Redis as a crash would.
            while (WriteTimes(emulator).Count < 12 && !run.IsCompleted)
            {
                await Task.Delay(10);
            }

            redis.Kill();
            var (listId, results) = await run;

            results.Sum(r => r.Accepted + r.AcceptedForProcessing).Should().Be(117, "nothing is lost when Redis goes away");
            results.Should().OnlyContain(r => r.IsComplete);
            emulator.Whippy.State.GetMemberPhones(listId).Should().HaveCount(117);
            var warnings = instances.SelectMany(i => i.GetFakeLogCollector().GetSnapshot()).Where(r => r.Id.Id == 4101).ToList();
            warnings.Should().NotBeEmpty("the fallback is logged");
            // Each rule falls back to its own share: a quarter of 10 writes, and of 25 requests, rounded down.
            warnings.Where(w => w.Message.Contains("'Whippy contact-list writes'", StringComparison.Ordinal)).Should().OnlyContain(w => w.Message.Contains(" at 2 per ", StringComparison.Ordinal));
            warnings.Where(w => w.Message.Contains("'Whippy requests'", StringComparison.Ordinal)).Should().OnlyContain(w => w.Message.Contains(" at 6 per ", StringComparison.Ordinal));
            warnings.Should().Contain(w => w.Message.Contains("'Whippy contact-list writes'", StringComparison.Ordinal));
        }
        finally
        {
            await instances.DisposeAllAsync();
            await redis.DisposeAsync();
        }
    }

    [Fact]
    public async Task An_unreachable_Redis_never_blocks_sends()
    {
        await using var emulator = await StartEmulatorAsync();
        await using var instance = Instance(emulator, b => b.UseRedis(RedisServer.Unreachable, o => o.OperationTimeout = TimeSpan.FromMilliseconds(300)));
        var client = instance.GetRequiredKeyedService<IContactListClient>("shared");

        var list = await client.CreateListAsync(new NewContactList("Alone"));
        var result = await client.AddContactsAsync(list.Id, Contacts(0, 3));

        (result.Accepted + result.AcceptedForProcessing).Should().Be(3);
        instance.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Id == 4101 && r.Level == LogLevel.Warning);
    }

    private static async Task<(string ListId, BulkResult[] Results)> RunAsync(ServiceProvider[] instances, ContactListsEmulator emulator)
    {
        var clients = instances.Select(i => i.GetRequiredKeyedService<IContactListClient>("shared")).ToArray();
        var list = await clients[0].CreateListAsync(new NewContactList("Shared"));
        // 1 create + 9 + 3 × 10 batches of 3 = 40 writes; 117 contacts.
        var results = await Task.WhenAll(clients.Select((client, i) =>
            client.AddContactsAsync(list.Id, Contacts(i * 100, i == 0 ? 27 : 30), new BulkOptions { MaxConcurrency = 1 })));
        return (list.Id, results);
    }

    private static Task<ContactListsEmulator> StartEmulatorAsync() => ContactListsEmulator.StartAsync(new EmulatorOptions
    {
        RateLimits = EmulatorRateLimits.Scaled,
        RateLimitWindowScale = Scale,
    });

    private static ServiceProvider Instance(ContactListsEmulator emulator, Action<ContactListsBuilder> share)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        services.AddContactLists(b =>
        {
            b.AddWhippy("shared", o =>
            {
                o.BaseAddress = emulator.Whippy.BaseAddress;
                o.ApiKey = emulator.Whippy.ApiKey;
                o.BatchSize = 3;
                // The documented limits on the emulator's scaled clock, with the SDK's usual margin (1/60 of the window).
                o.ContactListWriteWindow = TimeSpan.FromSeconds(61) * Scale;
                o.RequestWindow = TimeSpan.FromMilliseconds(1050) * Scale;
            });
            share(b);
        });
        return services.BuildServiceProvider();
    }

    private static List<DateTimeOffset> WriteTimes(ContactListsEmulator emulator) => emulator.Log.Requests
        .Where(r => r.Method != "GET" && r.Path.Contains("/v1/contacts/lists", StringComparison.Ordinal) && r.StatusCode < 300)
        .Select(r => r.At)
        .Order()
        .ToList();

    private static IEnumerable<Contact> Contacts(int first, int count) => Enumerable.Range(first, count)
        .Select(i => new Contact { Phone = "+1415555" + i.ToString("D4", CultureInfo.InvariantCulture), FirstName = "Shared" });
}
