using System.Diagnostics;
using ContactLists.Emulator;
using ContactLists.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry.Trace;

namespace ContactLists.Tests.Diagnostics;

/// <summary>
/// Issue 19, point 2: in an ASP.NET Core app wired as docs/observability.md says (the OpenTelemetry SDK, ASP.NET Core
/// instrumentation and <c>AddSource("ContactLists")</c>), the SDK's spans inside a request are recorded, as children of
/// the request's span: a sync's span, its operations' spans under it, and their batches under those. Without the
/// ASP.NET Core instrumentation the request's activity is not recorded, and the parent-based sampler drops every
/// ContactLists span: the test shows that too, which is why the docs say to add it.
/// </summary>
// Alone: a span listener of another test that records everything (TelemetryTests) would record the spans this
// test expects the sampler to drop.
[Collection(MeasuredAlone.Name)]
public sealed class AspNetCoreTelemetryTests
{
    // An account name of its own: span listeners are process-wide, and other tests record spans too.
    private const string Account = "aspnetcore-telemetry";

    [Fact]
    public async Task Spans_of_a_sync_inside_a_request_are_recorded_under_the_request_span()
    {
        var spans = await RunAppAsync(withAspNetCoreInstrumentation: true);

        // The emulator is an ASP.NET Core app in the same process: its requests have server spans too.
        var request = spans.Should().ContainSingle(s => s.Kind == ActivityKind.Server && Equals(s.GetTagItem("http.route"), "/sync"), "the app's request span").Subject;
        // Listeners are process-wide: tests running alongside record spans of their own; only this request's trace counts.
        spans = spans.Where(s => s.TraceId == request.TraceId).ToList();
        var sync = spans.Should().ContainSingle(s => s.DisplayName == "ContactLists Sync").Subject;
        sync.ParentSpanId.Should().Be(request.SpanId, "the sync's span is a child of the request's");
        sync.TraceId.Should().Be(request.TraceId);
        sync.GetTagItem("contactlists.provider").Should().Be("Whippy");
        sync.GetTagItem("contactlists.sync.mode").Should().Be("Difference");
        sync.GetTagItem("contactlists.sync.added").Should().Be(2L);
        sync.GetTagItem("contactlists.outcome").Should().Be("success");

        var add = spans.Should().ContainSingle(s => s.DisplayName == "ContactLists AddContacts").Subject;
        add.ParentSpanId.Should().Be(sync.SpanId, "the sync's operations nest under it");
        spans.Should().Contain(s => s.DisplayName == "ContactLists GetContacts" && s.ParentSpanId == sync.SpanId);
        spans.Should().Contain(s => s.DisplayName == "ContactLists Add batch" && s.ParentSpanId == add.SpanId);
    }

    [Fact]
    public async Task Without_the_AspNetCore_instrumentation_the_parent_based_sampler_drops_the_SDKs_spans()
    {
        var spans = await RunAppAsync(withAspNetCoreInstrumentation: false);

        // Listeners are process-wide: only spans of this app's request count (none, since it is not recorded).
        spans.Where(s => s.Source.Name == ContactListsTelemetry.ActivitySourceName && Equals(s.GetTagItem("contactlists.account"), Account)).Should().BeEmpty(
            "the request's activity exists but is not recorded, so ParentBased(AlwaysOn) drops its children: docs/observability.md says to add AddAspNetCoreInstrumentation()");
    }

    private static async Task<List<Activity>> RunAppAsync(bool withAspNetCoreInstrumentation)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var exported = new List<Activity>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.AddContactLists(b => b.AddWhippy(Account, o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = false;
        }));
        builder.Services.AddOpenTelemetry().WithTracing(tracing =>
        {
            if (withAspNetCoreInstrumentation)
            {
                tracing.AddAspNetCoreInstrumentation();
            }

            tracing.AddSource(ContactListsTelemetry.ActivitySourceName).AddInMemoryExporter(exported);
        });
        await using var app = builder.Build();
        app.MapPost("/sync", async (IContactListClientFactory clients, CancellationToken cancellationToken) =>
        {
            var client = clients.GetClient(Account);
            var list = await client.CreateListAsync(new NewContactList("Request"), cancellationToken);
            var result = await new ContactListSync(client).SyncAsync(list.Id, Source(), cancellationToken: cancellationToken);
            return result.Plan.Adds;
        });
        await app.StartAsync();

        using var response = await app.GetTestClient().PostAsync(new Uri("/sync", UriKind.Relative), null);

        response.EnsureSuccessStatusCode();
        await app.StopAsync();
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        return exported;
    }

    private static async IAsyncEnumerable<Contact> Source()
    {
        await Task.Yield();
        yield return new Contact { Phone = "+14155550101", FirstName = "Ada" };
        yield return new Contact { Phone = "+14155550102", FirstName = "Grace" };
    }
}
