using ContactLists.Emulator;
using Microsoft.Extensions.Time.Testing;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace ContactLists.Tests.Diagnostics;

/// <summary>
/// Issue 30: what a sync reports on the ContactLists meter, read through the OpenTelemetry SDK's in-memory exporter:
/// contacts added, updated, removed and left out by reason, the duration by outcome, and the last success; each tagged
/// with the provider, the account and the list.
/// </summary>
public sealed class SyncMetricsTests
{
    // An account name no other test uses: the meter is process-wide and tests run in parallel.
    private const string Account = "sync-metrics";

    [Fact]
    public async Task A_sync_reports_its_contacts_duration_and_last_success_per_list()
    {
        var exported = new List<Metric>();
        using var meters = Sdk.CreateMeterProviderBuilder().AddMeter(ContactListsTelemetry.MeterName).AddInMemoryExporter(exported).Build();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddMessengeo(Account, o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = emulator.Messengeo.ClientSecret;
        }));
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IContactListClientFactory>().GetClient(Account);
        var listId = (await client.CreateListAsync(new NewContactList("Metrics"))).Id;
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero));
        var sync = new ContactListSync(client, new InMemorySyncLedger(), clock);
        Contact[] customers =
        [
            new() { Phone = "+447911000001", FirstName = "Ada" },
            new() { Phone = "+447911000002", FirstName = "Grace" },
            new() { Phone = "+447911000003", FirstName = "Alan" },
            new() { Phone = "12", FirstName = "Typo" },
        ];

        await sync.SyncAsync(listId, customers.ToAsyncEnumerable());
        clock.Advance(TimeSpan.FromDays(1));
        // A day later: Grace renamed, Alan gone.
        await sync.SyncAsync(listId, new[] { customers[0], customers[1] with { FirstName = "Grace H." }, customers[3] }.ToAsyncEnumerable());
        meters.ForceFlush();

        Sum("contactlists.sync.contacts", ("contactlists.sync.change", "added")).Should().Be(3);
        Sum("contactlists.sync.contacts", ("contactlists.sync.change", "updated")).Should().Be(1);
        Sum("contactlists.sync.contacts", ("contactlists.sync.change", "removed")).Should().Be(1);
        Sum("contactlists.sync.contacts", ("contactlists.sync.change", "left_out"), ("contactlists.sync.reason", "Phone not valid")).Should().Be(2, "the bad phone, once per run");
        Points("contactlists.sync.duration", ("contactlists.outcome", "completed")).Sum(p => p.GetHistogramCount()).Should().Be(2);
        Points("contactlists.sync.last_success").Should().ContainSingle().Which.GetGaugeLastValueLong().Should().Be(clock.GetUtcNow().ToUnixTimeSeconds());

        List<MetricPoint> Points(string name, params (string Key, string Value)[] tags)
        {
            var points = new List<MetricPoint>();
            foreach (var metric in exported.Where(m => m.Name == name))
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var pointTags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        pointTags[tag.Key] = tag.Value;
                    }

                    if (Equals(pointTags.GetValueOrDefault("contactlists.account"), Account) && Equals(pointTags.GetValueOrDefault("contactlists.list.id"), listId)
                        && Equals(pointTags.GetValueOrDefault("contactlists.provider"), "Messengeo") && tags.All(t => Equals(pointTags.GetValueOrDefault(t.Key), t.Value)))
                    {
                        points.Add(point);
                    }
                }
            }

            return points;
        }

        long Sum(string name, params (string Key, string Value)[] tags) => Points(name, tags).Sum(p => p.GetSumLong());
    }
}
