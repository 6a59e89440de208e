using System.Runtime.CompilerServices;
using ContactLists.Emulator;
using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Emulator;

/// <summary>A large streamed add through the emulator, with the process's managed heap watched after every batch.</summary>
[Collection(MeasuredAlone.Name)]
public sealed class ScaleTests(Xunit.Abstractions.ITestOutputHelper output)
{
    // The bound covers the live objects of the whole test process: the SDK, which holds only the batch being filled
    // and the ones in flight, and the in-process emulator, which keeps all 200,000 contacts in memory (119 MiB
    // measured). Live bytes are counted after a full collection: uncollected garbage depends on the machine's GC
    // budgets (410 MiB seen on CI without collecting) and says nothing about what the SDK keeps.
    private const long PeakManagedHeapBound = 200L * 1024 * 1024;

    [Fact]
    public async Task Two_hundred_thousand_streamed_contacts_go_through_the_emulator_under_the_memory_bound()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddWhippy("scale", o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = false;
        }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredKeyedService<IContactListClient>("scale");
        var list = await client.CreateListAsync(new NewContactList("Scale"));
        long peak = 0;
        var progress = new Watch(_ => peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true)));

        var result = await client.AddContactsAsync(list.Id, Generate(200_000), new BulkOptions { Progress = progress, MaxConcurrency = 2 });

        result.AcceptedForProcessing.Should().Be(200_000);
        result.Batches.Should().HaveCount(50);
        result.IsComplete.Should().BeTrue();
        emulator.Whippy.State.GetMemberPhones(list.Id).Should().HaveCount(200_000);
        output.WriteLine($"peak live managed heap: {peak / (1024 * 1024)} MiB (bound {PeakManagedHeapBound / (1024 * 1024)} MiB)");
        peak.Should().BeLessThan(PeakManagedHeapBound);
    }

    private static async IAsyncEnumerable<Contact> Generate(int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            if (i % 4000 == 0)
            {
                await Task.Yield();
            }

            cancellationToken.ThrowIfCancellationRequested();
            // Distinct valid US numbers: +1 415 2xx xxxx.
            yield return new Contact { Phone = $"+14152{i:D6}", FirstName = "Scale", LastName = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        }
    }

    private sealed class Watch(Action<BulkProgress> report) : IProgress<BulkProgress>
    {
        public void Report(BulkProgress value) => report(value);
    }
}
