using System.Runtime.CompilerServices;
using ContactLists.Emulator;
using ContactLists.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Reliability;

/// <summary>Issue 8, points 10 to 12: input that fails part-way, bodies with a length, and messages that tell the truth.</summary>
public sealed class InputAndWireTests : IDisposable
{
    private const string ListId = "l1";
    private readonly WireMockServer _server = WireMockServer.Start();

    public InputAndWireTests()
    {
        _server.Given(Request.Create().WithPath($"/v1/contacts/lists/{ListId}/contacts").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody("""{"data":{"message":"Contact list contacts are being updated"}}"""));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private static Contact Member(int i) => new() { Phone = $"+1415555{i:D4}" };

    private static IEnumerable<Contact> FailingAfter(int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return Member(i);
        }

        throw new InvalidOperationException("The customer database went away.");
    }

    [Fact]
    public async Task An_input_that_throws_after_250_contacts_gives_a_bulk_error_with_the_result_so_far()
    {
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!));

        var act = () => services.Client().AddContactsAsync(ListId, FailingAfter(250), new BulkOptions { BatchSize = 100 });

        var error = (await act.Should().ThrowAsync<ContactListBulkException>()).Which;
        error.FailedInputIndex.Should().Be(250);
        error.InnerException.Should().BeOfType<InvalidOperationException>();
        error.Result.Read.Should().Be(250);
        error.Result.AcceptedForProcessing.Should().Be(200, "the two full batches were sent and answered");
        error.Result.NotSent.Should().HaveCount(50).And.OnlyContain(n => n.Reason == NotSentReason.Stopped, "the batch being filled was not sent");
        _server.LogEntries.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_async_input_that_ignores_the_token_is_still_stopped_by_cancellation()
    {
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!));
        using var cancel = new CancellationTokenSource();
        var never = new TaskCompletionSource();

        async IAsyncEnumerable<Contact> Stuck([EnumeratorCancellation] CancellationToken ignored = default)
        {
            for (var i = 0; i < 5; i++)
            {
                yield return Member(i);
            }

            // The input stops answering and ignores the token; the caller gives up.
            await cancel.CancelAsync();
            await never.Task;
            yield return Member(99);
        }

        var act = () => services.Client().AddContactsAsync(ListId, Stuck(), new BulkOptions { BatchSize = 2 }, cancel.Token);

        var error = (await act.Should().ThrowAsync<ContactListBulkCanceledException>()).Which;
        error.Result.Read.Should().Be(5);
        (error.Result.AcceptedForProcessing + error.Result.NotSent.Count).Should().Be(5, "every contact read is accounted for");
    }

    [Fact]
    public async Task Json_bodies_carry_a_Content_Length_and_are_not_chunked()
    {
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!));

        await services.Client().AddContactsAsync(ListId, [Member(1)]);

        var headers = _server.LogEntries.Should().ContainSingle().Subject.RequestMessage!.Headers!;
        headers.Should().ContainKey("Content-Length");
        long.Parse(headers["Content-Length"].Single(), System.Globalization.CultureInfo.InvariantCulture).Should().BeGreaterThan(10);
        headers.Keys.Should().NotContain(k => k.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase));
    }

    [Theory]
    [InlineData("Spring\npromo")]
    [InlineData("Tab\there")]
    public async Task A_list_name_with_control_characters_is_refused_before_sending(string name)
    {
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!));

        var act = () => services.Client().CreateListAsync(new NewContactList(name));

        await act.Should().ThrowAsync<ContactListValidationException>();
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task A_list_name_over_Octopushs_length_is_refused_before_sending()
    {
        var target = ReliabilityTarget.All["Octopush"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var (emulator, client) = (run.Emulator, run.Client);

        var act = () => client.CreateListAsync(new NewContactList(new string('n', Providers.Octopush.OctopushOptions.DocumentedMaxListNameLength + 1)));

        (await act.Should().ThrowAsync<ContactListValidationException>()).Which.Message.Should().Contain("Octopush");
        emulator.Log.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Fields_Octopush_has_no_place_for_are_reported_as_dropped()
    {
        var target = ReliabilityTarget.All["Octopush"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Dropped");

        var result = await client.AddContactsAsync(listId, [target.Contact(1) with { Email = "ana@example.fr" }, target.Contact(2)]);

        result.Accepted.Should().Be(2);
        result.DroppedFields.Should().Equal(new Dictionary<string, long> { [nameof(Contact.Email)] = 1 });
    }

    [Fact]
    public async Task A_refused_connection_says_the_request_never_reached_the_provider()
    {
        // A port that is held but not listened on: connections to it are refused, and no other test can take it
        // meanwhile (a port freed by a stopped server could be reused by a parallel test's server and answer).
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        held.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)held.LocalEndPoint!).Port}";
        await using var services = WhippyTestHost.Build(new Uri(url), resilience: r => r.Retry.MaxRetryAttempts = 1);

        var act = () => services.Client().CreateListAsync(new NewContactList("Spring"));

        var error = (await act.Should().ThrowAsync<ContactListTransientException>()).Which;
        error.Message.Should().Contain("never reached").And.NotContain("may have reached");
        error.MayHaveBeenApplied.Should().BeFalse();
    }
}
