using System.Diagnostics;
using System.Diagnostics.Metrics;
using ContactLists.Diagnostics;
using ContactLists.Tests.Infrastructure;

namespace ContactLists.Tests.Diagnostics;

/// <summary>
/// An operation nobody observes runs as it is (no span, no wrapper: the adapter's own task comes back), and one that
/// a span listener or a meter listener observes is wrapped and measured. Listeners are process-wide, so these run
/// alone, when no other test's listener is attached.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class UnobservedOperationTests
{
    private static readonly OperationTracer Tracer = new("Test", "unobserved", TimeProvider.System);

    [Fact]
    public void Unobserved_the_operations_own_task_comes_back_unwrapped()
    {
        var adapterTask = new TaskCompletionSource<int>().Task;

        OperationTracer.Observed.Should().BeFalse("no test in this collection's run attaches a listener");
        Tracer.TracedAsync("GetList", "1", adapterTask, static task => task).Should().BeSameAs(adapterTask);
    }

    [Fact]
    public async Task A_meter_listener_alone_is_enough_to_measure_the_operation()
    {
        var measured = 0;
        using var meters = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "contactlists.operation.duration")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag is { Key: "contactlists.account", Value: "unobserved" })
                {
                    Interlocked.Increment(ref measured);
                }
            }
        });
        meters.Start();

        var result = await Tracer.TracedAsync("GetList", "1", 42, static value => Task.FromResult(value));

        result.Should().Be(42);
        measured.Should().Be(1);
    }

    [Fact]
    public async Task A_span_listener_alone_is_enough_to_trace_the_operation()
    {
        var spans = 0;
        using var activities = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ContactListsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Equals(activity.GetTagItem("contactlists.account"), "unobserved"))
                {
                    Interlocked.Increment(ref spans);
                }
            },
        };
        ActivitySource.AddActivityListener(activities);

        await Tracer.TracedAsync("GetList", "1", 7, static value => Task.FromResult(value));

        spans.Should().Be(1);
    }
}
