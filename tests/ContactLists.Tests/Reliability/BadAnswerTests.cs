using System.Text;
using ContactLists.Emulator;
using ContactLists.Tests.Infrastructure;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Answers that are 2xx but not the provider's (issue 8, points 1 to 3): each is a typed
/// <see cref="ContactListUnexpectedAnswerException"/> with the provider, the status and a bounded excerpt of the body,
/// never a raw Refit exception (whose request message holds the credential), never a success.
/// </summary>
public sealed class BadAnswerTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private void Answer(string method, string path, int status, string contentType, string body)
        => _server.Given(Request.Create().WithPath(path).UsingMethod(method))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", contentType).WithBody(body));

    public static TheoryData<string, string, UnexpectedAnswerProblem> BadBodies => new()
    {
        { "text/html", "<html><body><h1>Welcome to the hotel Wi-Fi</h1></body></html>", UnexpectedAnswerProblem.NotJson },
        { "application/json", "<html><body>Bad gateway</body></html>", UnexpectedAnswerProblem.NotJson },
        { "application/json", """{"data":{"id":"6c51""", UnexpectedAnswerProblem.MalformedJson },
        { "application/json", "", UnexpectedAnswerProblem.Empty },
        { "application/json", """{"data":{}}""", UnexpectedAnswerProblem.UnexpectedShape },
        { "application/json", """{"message":"ok"}""", UnexpectedAnswerProblem.UnexpectedShape },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task A_create_answered_200_with_a_body_that_is_not_Whippys_is_a_typed_error_without_the_key(string contentType, string body, UnexpectedAnswerProblem problem)
    {
        Answer("POST", "/v1/contacts/lists", 200, contentType, body);
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!));

        var act = () => services.Client().CreateListAsync(new NewContactList("Spring"));

        var error = (await act.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which;
        error.Problem.Should().Be(problem);
        error.Provider.Should().Be("Whippy");
        error.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        error.MayHaveBeenApplied.Should().BeTrue("a create answered 200 may have been applied");
        error.ToString().Should().NotContain(WhippyTestHost.ApiKey);
        Chain(error).Should().NotContain(e => e is Refit.ApiException, "Refit's exception carries the request and its key");
        _server.LogEntries.Should().ContainSingle("a create is not repeated");
    }

    [Fact]
    public async Task A_read_answered_with_an_html_page_is_retried_then_reported_typed()
    {
        Answer("GET", "/v1/contacts/lists/l1", 200, "text/html", "<html>captive portal</html>");
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), resilience: r => r.Retry.MaxRetryAttempts = 2);

        var act = () => services.Client().GetListAsync("l1");

        (await act.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which.ErrorBody.Should().Contain("captive portal");
        _server.LogEntries.Should().HaveCount(3, "a read is repeatable");
    }

    [Fact]
    public async Task An_answer_over_the_size_cap_is_refused_without_being_read_whole()
    {
        var huge = "{\"data\":{\"id\":\"l1\",\"name\":\"" + new string('x', 3 * 1024 * 1024) + "\"}}";
        Answer("POST", "/v1/contacts/lists", 200, "application/json", huge);
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), o => o.MaxResponseBytes = 1024 * 1024);

        var act = () => services.Client().CreateListAsync(new NewContactList("Spring"));

        var error = (await act.Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which;
        error.Problem.Should().Be(UnexpectedAnswerProblem.TooLarge);
        (error.ErrorBody?.Length ?? 0).Should().BeLessThan(300 * 1024, "only a bounded excerpt is kept");
    }

    [Fact]
    public async Task A_read_whose_body_broke_off_is_retried_and_succeeds()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.TruncatedBody], MaxFaults = 1, Where = t => t.Method == "GET" };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Truncated");
        faults.Rate = 1;

        var list = await client.GetListAsync(listId);

        list.Name.Should().Be("Truncated");
        faults.Injected.Should().ContainSingle().Which.Fault.Should().Be(EmulatorFault.TruncatedBody);
    }

    [Fact]
    public async Task A_body_that_trickles_is_cut_by_the_total_timeout_on_the_clients_clock()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(500));
        var faults = new EmulatorFaults { Kinds = [EmulatorFault.SlowBody], SlowBodyByteInterval = TimeSpan.FromSeconds(1), Where = t => t.Method == "GET" };
        await using var run = await target.StartAsync(clock, faults, r =>
        {
            r.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
            r.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(60);
            r.Retry.MaxRetryAttempts = 1;
        });
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Slow");
        faults.Rate = 1;

        var act = () => client.GetListAsync(listId);

        (await act.Should().ThrowAsync<ContactListTransientException>()).Which.Message.Should().Contain("Whippy");
        clock.GetUtcNow().Should().BeBefore(new DateTimeOffset(2026, 12, 1, 9, 10, 0, TimeSpan.Zero), "the body's hundreds of seconds were not waited for");
    }

    private static IEnumerable<Exception> Chain(Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            yield return e;
        }
    }
}
