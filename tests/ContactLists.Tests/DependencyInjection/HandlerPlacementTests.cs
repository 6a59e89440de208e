using System.Net;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.DependencyInjection;

/// <summary>A user's own handler runs where they place it, and never sees the credentials.</summary>
public sealed class HandlerPlacementTests
{
    private sealed class Recorder : DelegatingHandler
    {
        public List<(string? Key, HttpStatusCode? Status, string? Error)> Seen { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var key = request.Headers.TryGetValues(TestProvider.ApiKeyHeader, out var values) ? values.Single() : null;
            try
            {
                var response = await base.SendAsync(request, cancellationToken);
                Seen.Add((key, response.StatusCode, null));
                return response;
            }
            catch (Exception ex)
            {
                Seen.Add((key, null, ex.GetType().Name));
                throw;
            }
        }
    }

    [Fact]
    public async Task Per_call_handlers_see_one_call_and_per_attempt_handlers_every_attempt_and_neither_sees_the_key()
    {
        var perCall = new Recorder();
        var perAttempt = new Recorder();
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(attempt == 1
            ? StubHandler.Json(HttpStatusCode.ServiceUnavailable, "{}")
            : StubHandler.Json(HttpStatusCode.OK, TestProviderHost.ListJson)));
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddTestProvider(TestHost.ClientName, o =>
            {
                o.ApiKey = TestProviderHost.ApiKey;
                o.EnablePacing = false;
            })
            .AddHandler(_ => perCall, HandlerPlacement.PerCall)
            .AddHandler(_ => perAttempt, HandlerPlacement.PerAttempt)
            .ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1))
            .HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => stub));
        await using var provider = services.BuildServiceProvider();

        await provider.Client().GetListAsync("l1");

        perCall.Seen.Should().Equal([(null, HttpStatusCode.OK, null)], "one call, its final answer, no key");
        perAttempt.Seen.Should().Equal([(null, HttpStatusCode.ServiceUnavailable, null), (null, HttpStatusCode.OK, null)], "each attempt, no key");
        stub.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Headers[TestProvider.ApiKeyHeader] == TestProviderHost.ApiKey, "the key is still sent");
    }
}
