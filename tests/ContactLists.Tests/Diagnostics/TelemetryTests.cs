using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContactLists.Emulator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace ContactLists.Tests.Diagnostics;

/// <summary>
/// Spans and metrics, collected with in-memory listeners the way an OpenTelemetry SDK would. Instruments are
/// process-wide, so each test uses a client name of its own and looks only at what carries it.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private readonly string _account = "telemetry-" + Guid.NewGuid().ToString("N")[..8];
    private readonly ConcurrentQueue<Activity> _spans = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters;

    public TelemetryTests()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ContactListsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("contactlists.account"), _account))
                {
                    _spans.Enqueue(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_activities);
        _meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == ContactListsTelemetry.MeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Collect(instrument, value, tags));
        _meters.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Collect(instrument, value, tags));
        _meters.Start();
    }

    [Fact]
    public async Task A_bulk_add_has_an_operation_span_a_span_per_batch_and_counts_contacts_requests_and_duration()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = Build(emulator);
        var client = services.GetRequiredKeyedService<IContactListClient>(_account);
        var list = await client.CreateListAsync(new NewContactList("Telemetry"));
        Contact[] contacts =
        [
            new() { Phone = "+14155550101" }, new() { Phone = "+14155550102" }, new() { Phone = "not a phone" },
            new() { Phone = "+14155550103" }, new() { Phone = "+14155550104" },
        ];

        var result = await client.AddContactsAsync(list.Id, contacts, new BulkOptions { BatchSize = 2, InvalidContacts = InvalidContactHandling.Reject });

        result.Accepted.Should().Be(0);
        result.AcceptedForProcessing.Should().Be(4);
        var operation = _spans.Single(s => s.OperationName == "ContactLists AddContacts");
        operation.GetTagItem("contactlists.provider").Should().Be("Whippy");
        operation.GetTagItem("contactlists.operation").Should().Be("AddContacts");
        operation.GetTagItem("contactlists.list.id").Should().Be(list.Id);
        operation.GetTagItem("contactlists.outcome").Should().Be("success");
        operation.GetTagItem("contactlists.contacts.accepted").Should().Be(4L);
        operation.GetTagItem("contactlists.contacts.rejected").Should().Be(1);
        var batches = _spans.Where(s => s.OperationName == "ContactLists Add batch").ToList();
        batches.Should().HaveCount(2).And.OnlyContain(b => b.ParentSpanId == operation.SpanId && (int)b.GetTagItem("contactlists.batch.size")! == 2);
        _spans.Should().Contain(s => s.OperationName == "ContactLists CreateList");

        Sum("contactlists.contacts.sent").Should().Be(4);
        Sum("contactlists.contacts.accepted").Should().Be(4);
        Sum("contactlists.contacts.rejected", ("contactlists.rejected_by", "sdk")).Should().Be(1);
        // One request creates the list; one per batch.
        Count("contactlists.requests").Should().Be(3);
        Count("contactlists.request.duration").Should().Be(3);
        Count("contactlists.retries").Should().Be(0);
        Count("contactlists.operation.duration", ("contactlists.operation", "AddContacts"), ("contactlists.outcome", "success")).Should().Be(1);
        Count("contactlists.pacing.wait").Should().Be(3, "every request asked the limiters for its turn");
    }

    [Fact]
    public async Task A_retried_request_counts_both_attempts_and_one_retry_and_a_failed_operation_says_so()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions
        {
            RateLimits = EmulatorRateLimits.Off,
            Faults = { Rate = 1, Kinds = [EmulatorFault.ServiceUnavailable], MaxFaults = 1 },
        });
        await using var services = Build(emulator);
        var client = services.GetRequiredKeyedService<IContactListClient>(_account);

        await client.GetListsAsync().ToListAsync();
        var missing = async () => await client.GetListAsync("00000000-0000-0000-0000-000000000000");
        await missing.Should().ThrowAsync<ContactListNotFoundException>();

        Count("contactlists.retries").Should().Be(1);
        Count("contactlists.requests", ("http.response.status_code", 503)).Should().Be(1);
        Count("contactlists.requests", ("http.response.status_code", 200)).Should().Be(1);
        Count("contactlists.operation.duration", ("contactlists.operation", "ListLists"), ("contactlists.outcome", "success")).Should().Be(1);
        Count("contactlists.operation.duration", ("contactlists.operation", "GetList"), ("contactlists.outcome", "error")).Should().Be(1);
        var failed = _spans.Single(s => s.OperationName == "ContactLists GetList");
        failed.Status.Should().Be(ActivityStatusCode.Error);
        failed.GetTagItem("error.type").Should().Be(typeof(ContactListNotFoundException).FullName);
    }

    [Fact]
    public async Task Calls_are_logged_under_stable_event_ids()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = Build(emulator, logging: true);
        var client = services.GetRequiredKeyedService<IContactListClient>(_account);

        await client.GetListsAsync().ToListAsync();
        var missing = async () => await client.GetListAsync("00000000-0000-0000-0000-000000000000");
        await missing.Should().ThrowAsync<ContactListNotFoundException>();
        var list = await client.CreateListAsync(new NewContactList("Logged"));
        await client.AddContactsAsync(list.Id, [new Contact { Phone = "+14155550101" }]);

        var records = services.GetFakeLogCollector().GetSnapshot();
        records.Should().Contain(r => r.Id.Id == 3101 && r.Level == LogLevel.Debug && r.Message.Contains("Batch 0 of Add on Whippy list " + list.Id, StringComparison.Ordinal));
        records.Should().Contain(r => r.Id.Id == 2001 && r.Level == LogLevel.Debug && r.Category == "ContactLists.Whippy");
        records.Should().Contain(r => r.Id.Id == 2002 && r.Level == LogLevel.Warning && r.Message.Contains("404", StringComparison.Ordinal));
    }

    private ServiceProvider Build(ContactListsEmulator emulator, bool logging = false)
    {
        var services = new ServiceCollection();
        if (logging)
        {
            services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddFakeLogging());
        }

        services.AddContactLists(b => b.AddWhippy(_account, o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
        }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1)));
        return services.BuildServiceProvider();
    }

    private void Collect(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var dictionary = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            dictionary[tag.Key] = tag.Value;
        }

        if (Equals(dictionary.GetValueOrDefault("contactlists.account"), _account))
        {
            _measurements.Enqueue((instrument.Name, value, dictionary));
        }
    }

    private IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Matching(string instrument, (string Key, object Value)[] tags)
        => _measurements.Where(m => m.Instrument == instrument && tags.All(t => Equals(m.Tags.GetValueOrDefault(t.Key), t.Value)));

    private double Sum(string instrument, params (string Key, object Value)[] tags) => Matching(instrument, tags).Sum(m => m.Value);

    private int Count(string instrument, params (string Key, object Value)[] tags) => Matching(instrument, tags).Count();

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
    }
}
