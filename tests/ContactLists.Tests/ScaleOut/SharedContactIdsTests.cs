using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Redis;
using StackExchange.Redis;

namespace ContactLists.Tests.ScaleOut;

/// <summary>Two SDK instances of one SlickText brand sharing its contact identity map through Redis.</summary>
[Collection(MeasuredAlone.Name)]
public sealed class SharedContactIdsTests
{
    [Fact]
    public async Task A_contact_one_instance_found_is_not_looked_up_again_by_another()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var contacts = Enumerable.Range(0, 300).Select(i => new Contact { Phone = string.Create(CultureInfo.InvariantCulture, $"+1615557{i:D4}") }).ToList();
        await using var first = Instance(emulator, redis.Configuration);
        await using var second = Instance(emulator, redis.Configuration);
        var list = await Client(first).CreateListAsync(new NewContactList("Shared"));
        await Client(first).AddContactsAsync(list.Id, contacts);
        emulator.Log.Clear();

        var again = await Client(second).AddContactsAsync(list.Id, contacts);

        again.Accepted.Should().Be(300);
        emulator.Log.Requests.Where(r => r.Path.Split('?')[0].EndsWith($"/brands/{emulator.SlickText.State.BrandId}/contacts", StringComparison.Ordinal))
            .Should().BeEmpty("the second instance read every id from the shared map: no lookup, no account read, no create");
        emulator.SlickText.State.ContactCount.Should().Be(300);

        // What Redis holds: one hash under a key naming only the provider and the account's one-way id, with a lifetime.
        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Configuration);
        var key = connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: "contactlists:contacts:*").Should().ContainSingle().Subject.ToString();
        key.Should().StartWith("contactlists:contacts:SlickText:").And.NotContain(emulator.SlickText.ApiKey);
        (await connection.GetDatabase().HashLengthAsync(key)).Should().Be(300);
        (await connection.GetDatabase().KeyTimeToLiveAsync(key)).Should().BeGreaterThan(TimeSpan.FromDays(29));
    }

    [Fact]
    public async Task With_Redis_unreachable_contacts_are_looked_up_at_the_provider_and_the_call_succeeds()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var instance = Instance(emulator, RedisServer.Unreachable, TimeSpan.FromMilliseconds(300));
        var list = await Client(instance).CreateListAsync(new NewContactList("Alone"));

        var result = await Client(instance).AddContactsAsync(list.Id, [new Contact { Phone = "+16155570001" }, new Contact { Phone = "+16155570002" }]);

        result.Accepted.Should().Be(2);
        emulator.SlickText.State.GetMemberPhones(long.Parse(list.Id, CultureInfo.InvariantCulture)).Should().HaveCount(2);
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("texts");

    private static ServiceProvider Instance(ContactListsEmulator emulator, string redis, TimeSpan? timeout = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            b.AddSlickText("texts", o =>
            {
                o.BaseAddress = emulator.SlickText.BaseAddress;
                o.ApiKey = emulator.SlickText.ApiKey;
                o.EnablePacing = false;
            });
            b.UseRedis(redis, o => o.OperationTimeout = timeout ?? o.OperationTimeout);
        });
        return services.BuildServiceProvider();
    }
}
