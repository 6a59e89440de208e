using System.Net;
using System.Text;
using ContactLists.Providers.Movio;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Contract.Movio;

/// <summary>
/// Movio's token request and its contact-list endpoint: the exact requests Movio documents and the parsing of its
/// answers, plus the token's life: cached, renewed before expiry, fetched once for many callers, renewed on a 401.
/// </summary>
public sealed class MovioContractTests : IDisposable
{
    private const string ClientId = "eq-client-7";
    private const string ClientSecret = "s3cr3t+/=value-never-logged";
    private const string Token = "eyJhbGciOiJSUzI1NiJ9.token-one";

    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private string Api => _server.Url + "/api";

    private ServiceProvider Build(Action<MovioOptions> configure) => Build(configure: configure, time: null);

    private ServiceProvider Build(TimeProvider? time = null, Action<ILoggingBuilder>? logging = null, string? scope = null, Action<MovioOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddLogging(b => logging?.Invoke(b));
        services.AddContactLists(b => b.AddMovio("cinema", o =>
        {
            o.BaseAddress = new Uri(Api);
            o.TokenEndpoint = new Uri(_server.Url + "/oauth/token");
            o.ClientId = ClientId;
            o.ClientSecret = ClientSecret;
            o.Scope = scope;
            configure?.Invoke(o);
        }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1)));
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("cinema");

    private void GivenToken(string token = Token, int expiresIn = 86400, string? state = null, string? nextState = null)
    {
        var request = Request.Create().WithPath("/oauth/token").UsingPost()
            // Exactly base64("id:secret"), with no trailing newline (the docs' `echo | base64` adds one).
            .WithHeader("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")), MatchBehaviour.AcceptOnMatch)
            .WithHeader("Content-Type", new WildcardMatcher("application/x-www-form-urlencoded*"))
            .WithBody(new ExactMatcher($"grant_type=client_credentials&audience={Uri.EscapeDataString(Api)}"));
        var given = state switch
        {
            null => _server.Given(request),
            "Started" => _server.Given(request).InScenario("tokens").WillSetStateTo(nextState!),
            _ => _server.Given(request).InScenario("tokens").WhenStateIs(state).WillSetStateTo(nextState!),
        };
        given.RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
            .WithBody($$"""{"access_token":"{{token}}","token_type":"Bearer","expires_in":{{expiresIn}},"scope":""}"""));
    }

    private void GivenUpdate(string token = Token, int status = 202, string body = """{"total":2,"created_count":1,"updated_count":1}""")
        => _server.Given(Request.Create().WithPath("/api/contact-lists/12345/contacts").UsingPut()
                .WithHeader("Authorization", "Bearer " + token, MatchBehaviour.AcceptOnMatch))
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    private int TokenRequests => _server.LogEntries.Count(e => e.RequestMessage!.Path == "/oauth/token");

    private int ApiRequests => _server.LogEntries.Count(e => e.RequestMessage!.Path.StartsWith("/api/", StringComparison.Ordinal));

    [Theory]
    [InlineData(BulkOperation.Add, "append")]
    [InlineData(BulkOperation.Remove, "delete")]
    [InlineData(BulkOperation.Replace, "replace")]
    [InlineData(BulkOperation.Update, "append")]
    public async Task Update_contacts_puts_a_bare_array_of_email_and_string_attributes(BulkOperation operation, string action)
    {
        GivenToken();
        _server.Given(Request.Create().WithPath("/api/contact-lists/12345/contacts").UsingPut()
                .WithParam("action", action)
                .WithHeader("Authorization", "Bearer " + Token, MatchBehaviour.AcceptOnMatch)
                .WithHeader("Content-Type", new WildcardMatcher("application/json*"))
                .WithBody(new JsonMatcher("""
                    [{"email":"ada@example.com","favourite_genre":"Sci-Fi","first_name":"Ada","last_name":"Lovelace"},
                     {"email":"bob@example.com"}]
                    """)))
            .RespondWith(Response.Create().WithStatusCode(202).WithHeader("Content-Type", "application/json")
                .WithBody("""{"total":2,"created_count":1,"updated_count":1}"""));
        await using var services = Build();
        Contact[] contacts =
        [
            new() { Email = "ada@example.com", FirstName = "Ada", LastName = "Lovelace", Phone = "+14155552671", Attributes = new Dictionary<string, string> { ["favourite_genre"] = "Sci-Fi" } },
            new() { Email = "bob@example.com" },
        ];

        var result = operation switch
        {
            BulkOperation.Add => await Client(services).AddContactsAsync("12345", contacts),
            BulkOperation.Remove => await Client(services).RemoveContactsAsync("12345", contacts),
            // Movio's append adds or updates the listed contacts: an update of members is an append.
            BulkOperation.Update => await Client(services).UpdateContactsAsync("12345", contacts),
            _ => await Client(services).ReplaceContactsAsync("12345", contacts),
        };

        result.AcceptedForProcessing.Should().Be(2);
        result.Batches.Single().ProviderCounts.Should().BeEquivalentTo(new Dictionary<string, long> { ["total"] = 2, ["created"] = 1, ["updated"] = 1 });
        TokenRequests.Should().Be(1);
    }

    [Fact]
    public async Task A_202_without_a_body_is_still_accepted_for_processing()
    {
        GivenToken();
        GivenUpdate(body: "");
        await using var services = Build();

        var result = await Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);

        result.AcceptedForProcessing.Should().Be(1);
        result.Batches.Single().ProviderCounts.Should().BeNull();
    }

    [Fact]
    public async Task The_scope_is_sent_when_set()
    {
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost()
                .WithBody(new ExactMatcher($"grant_type=client_credentials&audience={Uri.EscapeDataString(Api)}&scope=contact-lists%3Awrite")))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody($$"""{"access_token":"{{Token}}","expires_in":3600}"""));
        GivenUpdate();
        await using var services = Build(scope: "contact-lists:write");

        await Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);

        ApiRequests.Should().Be(1);
    }

    [Fact]
    public async Task A_replace_larger_than_one_batch_replaces_once_then_appends()
    {
        GivenToken();
        GivenUpdate();
        await using var services = Build();

        var result = await Client(services).ReplaceContactsAsync("12345",
            Enumerable.Range(0, 5).Select(i => new Contact { Email = $"m{i}@example.com" }), new BulkOptions { BatchSize = 2 });

        _server.LogEntries.Where(e => e.RequestMessage!.Path.StartsWith("/api/", StringComparison.Ordinal))
            .Select(e => e.RequestMessage!.Query!["action"][0]).Should().Equal("replace", "append", "append");
        result.IsAtomic.Should().BeFalse();
    }

    [Fact]
    public async Task Invalid_or_missing_emails_are_refused_before_any_request_naming_the_contact()
    {
        GivenToken();
        GivenUpdate();
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("12345",
                [new Contact { Email = "ada@example.com" }, new Contact { Email = "not an address" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which;
        error.ContactIndex.Should().Be(1);
        error.Field.Should().Be("Email");

        (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("12345", [new Contact { Phone = "+14155552671" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which.Field.Should().Be("Email");
        _server.LogEntries.Should().BeEmpty("not even a token is requested");
    }

    /// <summary>An attribute that would overwrite the contact's address is left out and counted by default; refused under UnplacedAttributes = Reject.</summary>
    [Fact]
    public async Task An_attribute_named_like_the_identity_is_left_out_or_refused_when_strict()
    {
        GivenToken();
        GivenUpdate();
        Contact[] input = [new Contact { Email = "a@example.com", Attributes = new Dictionary<string, string> { ["email"] = "b@example.com", ["favourite_genre"] = "Sci-Fi" } }];
        await using var lenient = Build();
        await using var strict = Build(o => o.UnplacedAttributes = UnplacedAttributeHandling.Reject);

        var result = await Client(lenient).AddContactsAsync("12345", input);
        var refused = (await FluentActions.Awaiting(() => Client(strict).AddContactsAsync("12345", input))
            .Should().ThrowAsync<ContactListValidationException>()).Which;

        result.AcceptedForProcessing.Should().Be(1);
        result.DroppedFields.Should().Equal(new Dictionary<string, long> { ["Attributes[email]"] = 1 });
        refused.Field.Should().Be("Attributes[email]");
        _server.LogEntries.Where(e => e.RequestMessage!.Method == "PUT").Should().ContainSingle()
            .Which.RequestMessage!.Body.Should().Contain("favourite_genre").And.NotContain("b@example.com");
    }

    [Fact]
    public async Task The_token_is_cached_between_calls()
    {
        GivenToken();
        GivenUpdate();
        await using var services = Build();

        for (var i = 0; i < 3; i++)
        {
            await Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);
        }

        TokenRequests.Should().Be(1);
        ApiRequests.Should().Be(3);
    }

    [Fact]
    public async Task The_token_is_renewed_shortly_before_it_expires()
    {
        var time = new ObservableFakeTimeProvider();
        GivenToken(token: "first", expiresIn: 3600, state: "Started", nextState: "second");
        GivenToken(token: "second", expiresIn: 3600, state: "second", nextState: "done");
        GivenUpdate(token: "first");
        GivenUpdate(token: "second");
        await using var services = Build(time);
        var client = Client(services);

        await client.AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);
        time.Advance(TimeSpan.FromMinutes(58));
        await client.AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);
        TokenRequests.Should().Be(1, "the token has more than a minute left");

        time.Advance(TimeSpan.FromMinutes(1.5));
        await client.AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);

        TokenRequests.Should().Be(2, "a token within a minute of expiry is renewed");
        _server.LogEntries[^1].RequestMessage!.Headers!["Authorization"][0].Should().Be("Bearer second");
    }

    [Fact]
    public async Task Fifty_concurrent_calls_share_one_token_request()
    {
        GivenToken();
        GivenUpdate();
        await using var services = Build();
        var client = Client(services);

        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Task.Run(() => client.AddContactsAsync("12345", [new Contact { Email = $"m{i}@example.com" }]))));

        TokenRequests.Should().Be(1);
        ApiRequests.Should().Be(50);
    }

    [Fact]
    public async Task A_401_renews_the_token_once_and_sends_the_request_again()
    {
        GivenToken(token: "revoked", state: "Started", nextState: "renewed");
        GivenToken(token: "fresh", state: "renewed", nextState: "done");
        GivenUpdate(token: "revoked", status: 401, body: """{"message":"Unauthorized"}""");
        GivenUpdate(token: "fresh");
        await using var services = Build();

        var result = await Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]);

        result.AcceptedForProcessing.Should().Be(1);
        TokenRequests.Should().Be(2);
        ApiRequests.Should().Be(2);
    }

    [Fact]
    public async Task A_401_that_survives_a_fresh_token_surfaces_with_the_permission_hint_and_no_secret()
    {
        GivenToken();
        GivenUpdate(status: 403, body: """{"message":"Contact list access is not enabled"}""");
        await using var services = Build(logging: b => b.SetMinimumLevel(LogLevel.Trace).AddFakeLogging());

        var error = (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        var authentication = error.InnerException.Should().BeOfType<ContactListAuthenticationException>().Which;
        authentication.Message.Should().Contain("\"Contact list\" API permission").And.Contain("Contact list access is not enabled");
        foreach (var text in services.GetFakeLogCollector().GetSnapshot().Select(r => r.Message + string.Join(";", (r.StructuredState ?? []).Select(s => s.Value))).Append(error.ToString()))
        {
            text.Should().NotContain(ClientSecret).And.NotContain(Token).And.NotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}")));
        }
    }

    [Fact]
    public async Task Refused_client_credentials_surface_as_an_authentication_failure_without_the_secret()
    {
        _server.Given(Request.Create().WithPath("/oauth/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(401).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"access_denied","error_description":"Unauthorized"}"""));
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        var authentication = error.InnerException.Should().BeOfType<ContactListAuthenticationException>().Which;
        authentication.ErrorMessages.Should().Equal("access_denied", "Unauthorized");
        authentication.Message.Should().Contain(ClientId).And.NotContain(ClientSecret);
        ApiRequests.Should().Be(0);
    }

    [Fact]
    public async Task Validation_errors_keep_Movios_body()
    {
        GivenToken();
        GivenUpdate(status: 422, body: """{"message":"Unknown column: favourite_colour"}""");
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("12345", [new Contact { Email = "ada@example.com" }]))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        error.InnerException.Should().BeOfType<ContactListRequestRejectedException>()
            .Which.ErrorMessages.Should().Equal("Unknown column: favourite_colour");
        error.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }
}
