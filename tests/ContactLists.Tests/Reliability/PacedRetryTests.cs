using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>Issue 8, points 4 and 5: every attempt is paced, retried ones too; SlickText membership writes are repeated.</summary>
public sealed class PacedRetryTests
{
    [Fact]
    public async Task Retried_writes_take_a_pacing_permit_so_lost_answers_never_lead_to_a_429()
    {
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(250));
        var faults = new EmulatorFaults { Seed = 3, Kinds = [EmulatorFault.AnswerLost], Where = t => t.Method == "PUT" };
        // Whippy's documented limit of 10 list writes a minute is enforced.
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { TimeProvider = clock, Faults = faults });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddContactLists(b => b.AddWhippy("paced", o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = true;
        }).ConfigureResilience(r =>
        {
            r.AttemptTimeout.Timeout = TimeSpan.FromMinutes(5);
            r.TotalRequestTimeout.Timeout = TimeSpan.FromHours(1);
            r.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(30);
        }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IContactListClientFactory>().GetClient("paced");
        var listId = (await client.CreateListAsync(new NewContactList("Paced"))).Id;
        faults.Rate = 0.3;

        var result = await client.AddContactsAsync(listId, Enumerable.Range(0, 15).Select(i => new Contact { Phone = $"+1415555{i:D4}" }), new BulkOptions { BatchSize = 1 });

        faults.Injected.Should().NotBeEmpty("some answers were lost and their writes repeated");
        result.AcceptedForProcessing.Should().Be(15);
        var writes = emulator.Log.Requests.Where(r => r.Method == "PUT").ToList();
        writes.Should().NotContain(r => r.StatusCode == 429, "every attempt, first or repeated, waited for its permit");
        writes.Should().HaveCount(15 + faults.Injected.Count);
        emulator.Whippy.State.GetMemberPhones(listId).Should().HaveCount(15);
    }

    [Fact]
    public async Task A_SlickText_membership_write_answered_503_is_repeated()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.ServiceUnavailable], MaxFaults = 1, Where = t => t.Method == "POST" && t.Path.EndsWith("/lists/contacts", StringComparison.Ordinal) };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Repeated");
        faults.Rate = 1;

        var result = await client.AddContactsAsync(listId, Enumerable.Range(0, 3).Select(target.Contact));

        faults.Injected.Should().ContainSingle();
        result.Accepted.Should().Be(3, "re-adding a member is harmless, so the 503 was retried");
        target.Members(emulator, listId).Should().HaveCount(3);
    }
}
