using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using ContactLists.Providers.Whippy;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

/// <summary>
/// A bulk add of N contacts through the SDK (phone checks, batching at 4000, Refit, the pipeline) on an in-memory
/// handler that drains each body, against the floor: the same batches serialized with System.Text.Json to a null stream.
/// </summary>
[MemoryDiagnoser]
public class BulkBenchmarks
{
    private static readonly byte[] Accepted = Encoding.UTF8.GetBytes("""{"data":{"message":"Contact list contacts are being updated"}}""");
    private ServiceProvider _services = null!;
    private IContactListClient _sdk = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (_services, _sdk) = Clients.Whippy(new Uri("https://api.whippy.test"), new CannedHandler(_ => Accepted));

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public async Task<long> Floor_SerializeBatches()
    {
        long sent = 0;
        var batch = new List<WhippyContactInput>(4000);
        for (var i = 0; i < N; i++)
        {
            var contact = Clients.Contact(i);
            batch.Add(new WhippyContactInput { Phone = contact.Phone!, Name = contact.FirstName + " " + contact.LastName });
            if (batch.Count == 4000 || i == N - 1)
            {
                await JsonSerializer.SerializeAsync(Stream.Null, new WhippyUpdateContactListContactsRequest { Action = "add", Contacts = batch }, WhippyJsonContext.Default.WhippyUpdateContactListContactsRequest);
                sent += batch.Count;
                batch = new List<WhippyContactInput>(4000);
            }
        }

        return sent;
    }

    [Benchmark]
    public async Task<long> Sdk_AddContacts() => (await _sdk.AddContactsAsync("l1", Generate(N))).AcceptedForProcessing;

    private static async IAsyncEnumerable<Contact> Generate(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Clients.Contact(i);
        }

        await Task.CompletedTask;
    }
}
