using System.Net.Http.Json;
using System.Text;
using BenchmarkDotNet.Attributes;
using ContactLists.Emulator;
using ContactLists.Providers.Whippy;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

/// <summary>
/// One call, <c>GetListAsync</c>, through the SDK (neutral client → adapter → Refit → pipeline) against the same
/// request made by hand with HttpClient and source-generated System.Text.Json: (a) on an in-memory handler with a
/// canned answer, (b) over loopback against the emulator.
/// </summary>
[MemoryDiagnoser]
public class PerCallBenchmarks
{
    private static readonly byte[] Canned = Encoding.UTF8.GetBytes("""{"data":{"id":"6c510dfc-97a6-44a8-a966-e5b37ff1e9c5","name":"Spring event invitees","color":"#ffeb3b","state":"active","organization_id":"38f41b71-c138-4fe2-a77e-14a6c6153087","created_at":"2024-03-01T10:00:00Z","updated_at":"2024-03-01T10:00:00Z"}}""");

    private ServiceProvider _inMemoryServices = null!;
    private IContactListClient _inMemorySdk = null!;
    private HttpClient _inMemoryHand = null!;
    private ContactListsEmulator _emulator = null!;
    private ServiceProvider _loopbackServices = null!;
    private IContactListClient _loopbackSdk = null!;
    private HttpClient _loopbackHand = null!;
    private string _listId = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        (_inMemoryServices, _inMemorySdk) = Clients.Whippy(new Uri("https://api.whippy.test"), new CannedHandler(_ => Canned));
        _inMemoryHand = new HttpClient(new CannedHandler(_ => Canned)) { BaseAddress = new Uri("https://api.whippy.test") };
        _inMemoryHand.DefaultRequestHeaders.Add("X-WHIPPY-KEY", Clients.ApiKey);

        _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        (_loopbackServices, _loopbackSdk) = Clients.Whippy(_emulator.Whippy.BaseAddress, configure: o => o.ApiKey = _emulator.Whippy.ApiKey);
        _listId = (await _loopbackSdk.CreateListAsync(new NewContactList("Bench"))).Id;
        _loopbackHand = new HttpClient { BaseAddress = new Uri(_emulator.Whippy.BaseAddress + "/") };
        _loopbackHand.DefaultRequestHeaders.Add("X-WHIPPY-KEY", _emulator.Whippy.ApiKey);
        _loopbackHand.DefaultRequestHeaders.Accept.Add(new System.Net.Http.Headers.MediaTypeWithQualityHeaderValue("application/json"));
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _inMemoryHand.Dispose();
        _loopbackHand.Dispose();
        await _inMemoryServices.DisposeAsync();
        await _loopbackServices.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("in-memory")]
    public async Task<string?> InMemory_HandWritten()
        => (await _inMemoryHand.GetFromJsonAsync("/v1/contacts/lists/6c510dfc", WhippyJsonContext.Default.WhippyContactListResponse))!.Data!.Name;

    [Benchmark, BenchmarkCategory("in-memory")]
    public async Task<string?> InMemory_Sdk() => (await _inMemorySdk.GetListAsync("6c510dfc")).Name;

    [Benchmark, BenchmarkCategory("loopback")]
    public async Task<string?> Loopback_HandWritten()
        => (await _loopbackHand.GetFromJsonAsync("v1/contacts/lists/" + _listId, WhippyJsonContext.Default.WhippyContactListResponse))!.Data!.Name;

    [Benchmark, BenchmarkCategory("loopback")]
    public async Task<string?> Loopback_Sdk() => (await _loopbackSdk.GetListAsync(_listId)).Name;
}
