using System.Net;
using ContactLists.Http.OAuth2;
using Microsoft.Extensions.Time.Testing;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Issue 8, point 9: a token fetch that completes synchronously (a handler that answers at once) must not be kept:
/// after a 401 the rejected token is never sent again, and one refused fetch is not replayed on every later call.
/// </summary>
public sealed class OAuth2TokenSourceTests
{
    private sealed class AtOnceHandler(Func<int, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public int Calls { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            => Task.FromResult(answer(++Calls));
    }

    private static HttpResponseMessage Token(string token) => new(HttpStatusCode.OK)
    {
        Content = new StringContent($$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":3600}""", System.Text.Encoding.UTF8, "application/json"),
    };

    private static readonly TimeSpan FailureHold = TimeSpan.FromSeconds(30);

    private static OAuth2TokenSource Source(HttpMessageHandler handler, FakeTimeProvider? clock = null) => new(
        "Movio",
        () => new HttpClient(handler, disposeHandler: false),
        () => new OAuth2ClientCredentials(new Uri("https://auth.example.test/oauth/token"), "client", "s3cret-never-shown", null, null, OAuth2ClientAuthentication.BasicHeader, TimeSpan.FromMinutes(1), FailureHold),
        clock ?? new FakeTimeProvider());

    [Fact]
    public async Task A_rejected_token_is_replaced_even_when_the_fetch_completed_synchronously()
    {
        var handler = new AtOnceHandler(n => Token("token-" + n));
        var source = Source(handler);

        var first = await source.GetTokenAsync(CancellationToken.None);
        var renewed = await source.RenewAsync(first, CancellationToken.None);

        first.Should().Be("token-1");
        renewed.Should().Be("token-2", "the token the API refused is not sent again");
        (await source.GetTokenAsync(CancellationToken.None)).Should().Be("token-2", "the new token is cached");
        handler.Calls.Should().Be(2);
    }

    [Fact]
    public async Task A_refused_fetch_is_held_for_a_moment_then_asked_again()
    {
        var handler = new AtOnceHandler(n => n == 1
            ? new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new StringContent("""{"error":"temporarily_unavailable"}""") }
            : Token("token-" + n));
        var clock = new FakeTimeProvider();
        var source = Source(handler, clock);

        var act = () => source.GetTokenAsync(CancellationToken.None);

        (await act.Should().ThrowAsync<ContactListAuthenticationException>()).Which.ToString().Should().NotContain("s3cret-never-shown");
        await act.Should().ThrowAsync<ContactListAuthenticationException>("within the hold, every request meets the same failure");
        handler.Calls.Should().Be(1, "without asking the endpoint again");
        clock.Advance(FailureHold);
        (await source.GetTokenAsync(CancellationToken.None)).Should().Be("token-2", "after the hold, the next call asks again");
    }
}
