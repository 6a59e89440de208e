using System.Net;
using ContactLists.Tests.Infrastructure.TestProvider;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Http;

/// <summary>
/// The shared pipeline's retries: transient failures are retried with backoff, the provider's wait hints are honoured
/// on the client's clock, and a request that is not safe to repeat is not repeated once it may have arrived.
/// </summary>
public sealed class ResilienceTests
{
    private const string ListBody = TestProviderHost.ListJson;

    [Fact]
    public async Task A_503_then_200_succeeds()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/lists/l1").UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503));
        server.Given(Request.Create().WithPath("/lists/l1").UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(ListBody));
        await using var services = TestProviderHost.Build(new Uri(server.Url!));

        var list = await services.Client().GetListAsync("l1");

        list.Id.Should().Be("l1");
        server.LogEntries.Select(e => e.ResponseMessage!.StatusCode).Should().Equal(503, 200);
    }

    [Fact]
    public async Task A_429_waits_exactly_the_Retry_After_seconds_on_the_clients_clock()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? WithRetryAfter(StubHandler.Json(HttpStatusCode.TooManyRequests, TestProviderHost.Error("Too many requests")), TimeSpan.FromSeconds(5))
            : StubHandler.Json(HttpStatusCode.OK, ListBody)));
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var call = services.Client().GetListAsync("l1");
        await stub.NextRequestAsync();
        var delay = await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(5));

        delay.Should().Be(TimeSpan.FromSeconds(5), "Retry-After: 5 replaces the 2-second exponential backoff");
        time.Advance(TimeSpan.FromSeconds(4.9));
        await Task.Yield();
        call.IsCompleted.Should().BeFalse();
        stub.Requests.Should().HaveCount(1);

        time.Advance(TimeSpan.FromSeconds(0.1));
        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Id.Should().Be("l1");
        stub.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task Retry_After_as_an_HTTP_date_is_measured_against_the_clients_clock()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = new StubHandler((_, attempt, _) =>
        {
            if (attempt > 1)
            {
                return Task.FromResult(StubHandler.Json(HttpStatusCode.OK, ListBody));
            }

            var busy = StubHandler.Json(HttpStatusCode.ServiceUnavailable, "{}");
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(time.GetUtcNow().AddSeconds(7));
            return Task.FromResult(busy);
        });
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var call = services.Client().GetListAsync("l1");
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(7));
        time.Advance(TimeSpan.FromSeconds(7));

        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Id.Should().Be("l1");
    }

    [Fact]
    public async Task The_providers_own_wait_header_is_honoured_when_there_is_no_Retry_After()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = new StubHandler((_, attempt, _) =>
        {
            if (attempt > 1)
            {
                return Task.FromResult(StubHandler.Json(HttpStatusCode.OK, ListBody));
            }

            var limited = StubHandler.Json(HttpStatusCode.TooManyRequests, "{}");
            limited.Headers.Add(TestProvider.WaitHeader, "1500");
            return Task.FromResult(limited);
        });
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var call = services.Client().GetListAsync("l1");
        await time.WaitForTimerAsync(d => d == TimeSpan.FromMilliseconds(1500));
        time.Advance(TimeSpan.FromMilliseconds(1500));

        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Id.Should().Be("l1");
    }

    [Fact]
    public async Task A_wait_longer_than_MaxRetryAfter_surfaces_at_once_with_the_hint()
    {
        var stub = new StubHandler((_, _, _) => Task.FromResult(WithRetryAfter(
            StubHandler.Json(HttpStatusCode.TooManyRequests, TestProviderHost.Error("Too many requests")), TimeSpan.FromSeconds(120))));
        await using var services = TestProviderHost.Build(primaryHandler: stub);

        var error = (await FluentActions.Awaiting(() => services.Client().GetListAsync("l1")).Should().ThrowAsync<ContactListRateLimitedException>()).Which;

        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(120));
        error.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        error.ErrorMessages.Should().Equal("Too many requests");
        stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_create_is_not_retried_after_a_timeout()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = new StubHandler(async (_, _, ct) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(60), ct); // the provider does not answer (bounded, so a regression fails instead of hanging)
            return StubHandler.Json(HttpStatusCode.Created, ListBody);
        });
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var call = services.Client().CreateListAsync(new NewContactList("VIP"));
        await stub.NextRequestAsync();
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10)); // the attempt timeout
        time.Advance(TimeSpan.FromSeconds(10));

        var error = (await FluentActions.Awaiting(() => call.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<ContactListTransientException>()).Which;
        error.Message.Should().Contain("timed out").And.Contain("may have reached the provider");
        error.StatusCode.Should().BeNull();
        stub.Requests.Should().ContainSingle().Which.Method.Should().Be(HttpMethod.Post);
    }

    [Fact]
    public async Task A_read_is_retried_after_a_timeout()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = new StubHandler(async (_, attempt, ct) =>
        {
            if (attempt == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(60), ct);
            }

            return StubHandler.Json(HttpStatusCode.OK, ListBody);
        });
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var call = services.Client().GetListAsync("l1");
        await stub.NextRequestAsync();
        await time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(10));
        time.ForgetTimers();
        time.Advance(TimeSpan.FromSeconds(10));
        var backoff = await time.WaitForTimerAsync(d => d > TimeSpan.Zero && d < TimeSpan.FromSeconds(10));
        time.Advance(backoff);

        (await call.WaitAsync(TimeSpan.FromSeconds(30))).Id.Should().Be("l1");
        stub.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_create_answered_503_is_not_repeated()
    {
        var stub = StubHandler.Always(HttpStatusCode.ServiceUnavailable, TestProviderHost.Error("Service unavailable"));
        await using var services = TestProviderHost.Build(primaryHandler: stub);

        var error = (await FluentActions.Awaiting(() => services.Client().CreateListAsync(new NewContactList("VIP"))).Should().ThrowAsync<ContactListTransientException>()).Which;

        error.StatusCode.Should().Be(HttpStatusCode.ServiceUnavailable);
        stub.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_membership_change_answered_503_is_repeated_since_repeating_it_is_harmless()
    {
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? StubHandler.Json(HttpStatusCode.ServiceUnavailable, "{}")
            : StubHandler.Json(HttpStatusCode.Accepted, TestProviderHost.Queued)));
        await using var services = TestProviderHost.Build(primaryHandler: stub);

        var result = await services.Client().AddContactsAsync("l1", [TestHost.Contact(1)]);

        result.AcceptedForProcessing.Should().Be(1);
        stub.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_create_refused_with_429_is_retried_because_the_provider_did_not_process_it()
    {
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? WithRetryAfter(StubHandler.Json(HttpStatusCode.TooManyRequests, "{}"), TimeSpan.Zero)
            : StubHandler.Json(HttpStatusCode.Created, ListBody)));
        await using var services = TestProviderHost.Build(primaryHandler: stub);

        (await services.Client().CreateListAsync(new NewContactList("VIP"))).Id.Should().Be("l1");
        stub.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task A_create_whose_connection_never_opened_is_retried_but_one_cut_mid_way_is_not()
    {
        var refused = new StubHandler((_, attempt, _) => attempt == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused")
            : Task.FromResult(StubHandler.Json(HttpStatusCode.Created, ListBody)));
        await using (var services = TestProviderHost.Build(primaryHandler: refused))
        {
            (await services.Client().CreateListAsync(new NewContactList("VIP"))).Id.Should().Be("l1");
        }

        var cut = new StubHandler((_, _, _) => throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely"));
        await using (var services = TestProviderHost.Build(primaryHandler: cut))
        {
            await FluentActions.Awaiting(() => services.Client().CreateListAsync(new NewContactList("VIP")))
                .Should().ThrowAsync<ContactListTransientException>().WithMessage("*connection failed*may have reached*");
        }

        refused.Requests.Should().HaveCount(2);
        cut.Requests.Should().HaveCount(1);
    }

    [Fact]
    public async Task Each_client_has_its_own_circuit_breaker()
    {
        var failing = StubHandler.Always(HttpStatusCode.InternalServerError);
        var healthy = StubHandler.Always(HttpStatusCode.OK, ListBody);
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            foreach (var (name, handler) in new[] { ("broken", failing), ("fine", healthy) })
            {
                b.AddTestProvider(name, o => { o.ApiKey = "k"; o.EnablePacing = false; })
                    .ConfigureResilience(r =>
                    {
                        r.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                        r.CircuitBreaker.MinimumThroughput = 2;
                        r.CircuitBreaker.FailureRatio = 0.5;
                    })
                    .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => handler);
            }
        });
        await using var provider = services.BuildServiceProvider();
        var factory = provider.GetRequiredService<IContactListClientFactory>();

        for (var i = 0; i < 3; i++)
        {
            await FluentActions.Awaiting(() => factory.GetClient("broken").GetListAsync("l1")).Should().ThrowAsync<ContactListTransientException>();
        }

        await FluentActions.Awaiting(() => factory.GetClient("broken").GetListAsync("l1"))
            .Should().ThrowAsync<ContactListTransientException>().WithMessage("*circuit breaker is open*");
        failing.Requests.Count.Should().BeLessThan(4, "an open circuit stops requests before they are sent");
        (await factory.GetClient("fine").GetListAsync("l1")).Id.Should().Be("l1");
    }

    private static HttpResponseMessage WithRetryAfter(HttpResponseMessage response, TimeSpan delay)
    {
        response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(delay);
        return response;
    }
}
