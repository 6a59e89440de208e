using System.Diagnostics;
using ContactLists.Emulator;

namespace ContactLists.Benchmarks;

/// <summary>
/// Benchmark 4: a paced bulk add against the emulator with Whippy's rate limits enforced, scaled so the run is short
/// (every window × <see cref="Scale"/>); the SDK's pacing is scaled the same way. Reports the achieved write rate
/// against the limit and the number of 429s. One measured run; not a BenchmarkDotNet benchmark, since its figure
/// of merit is a rate over a run, not a per-operation time.
/// </summary>
internal static class PacedRun
{
    private const double Scale = 0.05;

    public static async Task RunAsync()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Scaled, RateLimitWindowScale = Scale });
        var (services, client) = Clients.Whippy(emulator.Whippy.BaseAddress, configure: o =>
        {
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = true;
            o.ContactListWriteWindow = TimeSpan.FromSeconds(61 * Scale);
            o.RequestWindow = TimeSpan.FromMilliseconds(1050 * Scale);
        });
        await using var _ = services;
        var list = await client.CreateListAsync(new NewContactList("Paced"));
        var writes = 60;
        var started = Stopwatch.GetTimestamp();
        var result = await client.AddContactsAsync(list.Id, Enumerable.Range(0, writes).Select(Clients.Contact), new BulkOptions { BatchSize = 1 });
        var elapsed = Stopwatch.GetElapsedTime(started);

        var log = emulator.Log.Requests.Where(r => r.Method == "PUT").ToList();
        var limitPerSecond = 10 / (60 * Scale);
        // The first window's writes go at once; the rate is measured over the full windows after it.
        var span = (log[^1].At - log[10].At).TotalSeconds;
        var achieved = (log.Count - 11) / span;
        Console.WriteLine($"Paced bulk add: {writes} single-contact batches, Whippy's 10 writes/min scaled ×{Scale} (limit {limitPerSecond:0.00} writes/s)");
        Console.WriteLine($"  elapsed {elapsed.TotalSeconds:0.00} s, accepted {result.AcceptedForProcessing}, 429 answers {emulator.Log.Requests.Count(r => r.StatusCode == 429)}");
        Console.WriteLine($"  achieved {achieved:0.00} writes/s after the first window = {achieved / limitPerSecond:P1} of the limit");
    }
}
