using ContactLists.Emulator;
using ContactLists.Redis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using StackExchange.Redis;

namespace ContactLists.Tests.ScaleOut;

/// <summary>Four SDK instances of one Movio account, sharing its access token through a real redis-server.</summary>
[Collection(MeasuredAlone.Name)]
public sealed class SharedTokenTests
{
    [Fact]
    public async Task Four_instances_calling_at_once_make_exactly_one_token_request()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var listId = emulator.Movio.State.CreateList("Shared");
        var instances = Enumerable.Range(0, 4).Select(_ => Instance(emulator, b => b.UseRedis(redis.Configuration))).ToArray();
        try
        {
            var clients = instances.Select(i => i.GetRequiredKeyedService<IContactListClient>("movio")).ToArray();

            // Every instance starts at once, and each makes several calls at once.
            var results = await Task.WhenAll(clients.SelectMany((c, i) => Enumerable.Range(0, 3).Select(j => c.AddContactsAsync(listId, [Member(i * 10 + j)]))));

            results.Should().OnlyContain(r => r.IsComplete);
            emulator.Movio.State.GetMemberEmails(listId).Should().HaveCount(12);
            emulator.Movio.State.TokensIssued.Should().Be(1);

            // What Redis holds: the token under a key naming only the provider and the account's one-way id, for no
            // longer than the token lives; never the client id or secret.
            await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
            var keys = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: "contactlists:*").Select(k => k.ToString()).ToList();
            keys.Should().ContainSingle(k => k.StartsWith("contactlists:token:Movio:", StringComparison.Ordinal));
            keys.Should().NotContain(k => k.Contains(emulator.Movio.ClientId, StringComparison.Ordinal) || k.Contains(emulator.Movio.ClientSecret, StringComparison.Ordinal));
            var ttl = await connection.GetDatabase().KeyTimeToLiveAsync(keys.Single(k => k.StartsWith("contactlists:token:", StringComparison.Ordinal)));
            ttl.Should().NotBeNull().And.BeGreaterThan(TimeSpan.Zero).And.BeLessThan(emulator.Options.MovioTokenLifetime, "kept only until it is due for refresh, before it expires");
            foreach (var instance in instances)
            {
                instance.GetFakeLogCollector().GetSnapshot().Should().NotContain(r => r.Message.Contains(emulator.Movio.ClientSecret, StringComparison.Ordinal));
            }
        }
        finally
        {
            await instances.DisposeAllAsync();
        }
    }

    [Fact]
    public async Task A_token_the_API_refuses_is_replaced_once_for_everyone()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var listId = emulator.Movio.State.CreateList("Shared");
        var instances = Enumerable.Range(0, 2).Select(_ => Instance(emulator, b => b.UseRedis(redis.Configuration))).ToArray();
        try
        {
            var clients = instances.Select(i => i.GetRequiredKeyedService<IContactListClient>("movio")).ToArray();
            await clients[0].AddContactsAsync(listId, [Member(0)]);
            emulator.Movio.State.RevokeTokens();

            // Each instance meets a 401 with the shared token, asks the cache for another, and only one fetch happens.
            await clients[0].AddContactsAsync(listId, [Member(1)]);
            await clients[1].AddContactsAsync(listId, [Member(2)]);

            emulator.Movio.State.TokensIssued.Should().Be(2);
        }
        finally
        {
            await instances.DisposeAllAsync();
        }
    }

    [Fact]
    public async Task With_Redis_unreachable_each_instance_fetches_its_own_token()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var listId = emulator.Movio.State.CreateList("Alone");
        await using var instance = Instance(emulator, b => b.UseRedis(RedisServer.Unreachable, o => o.OperationTimeout = TimeSpan.FromMilliseconds(300)));

        (await instance.GetRequiredKeyedService<IContactListClient>("movio").AddContactsAsync(listId, [Member(0)])).IsComplete.Should().BeTrue();

        emulator.Movio.State.TokensIssued.Should().Be(1);
        instance.GetFakeLogCollector().GetSnapshot().Should().Contain(r => r.Id.Id == 4111);
    }

    [Fact]
    public async Task A_connection_attempt_that_failed_is_made_again_on_the_next_use()
    {
        await using var redis = await RedisServer.StartAsync();
        var attempts = 0;
        await using var connection = new ContactLists.Redis.RedisConnection(
            async () => ++attempts == 1
                ? throw new TimeoutException("first attempt fails")
                : await ConnectionMultiplexer.ConnectAsync(redis.Configuration),
            owned: true);

        var first = async () => await connection.DatabaseAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);
        await first.Should().ThrowAsync<TimeoutException>();
        var database = await connection.DatabaseAsync(TimeSpan.FromSeconds(5), TimeProvider.System, CancellationToken.None);

        (await database.PingAsync()).Should().BeGreaterThanOrEqualTo(TimeSpan.Zero);
        attempts.Should().Be(2);
    }

    private static Contact Member(int i) => new() { Email = $"member{i}@example.com" };

    private static ServiceProvider Instance(ContactListsEmulator emulator, Action<ContactListsBuilder> share)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());
        services.AddContactLists(b =>
        {
            b.AddMovio("movio", o =>
            {
                o.BaseAddress = emulator.Movio.BaseAddress;
                o.TokenEndpoint = emulator.Movio.TokenEndpoint;
                o.ClientId = emulator.Movio.ClientId;
                o.ClientSecret = emulator.Movio.ClientSecret;
            });
            share(b);
        });
        return services.BuildServiceProvider();
    }
}
