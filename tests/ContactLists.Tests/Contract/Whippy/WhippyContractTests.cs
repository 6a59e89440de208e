using System.Net;
using ContactLists.Providers.Whippy;
using ContactLists.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using ContactLists.Adapters;

namespace ContactLists.Tests.Contract.Whippy;

/// <summary>
/// Each Whippy endpoint: the exact request Whippy documents (method, path, query, headers, body) and the parsing of
/// its documented answer. WireMock answers only a request that matches in full; anything else gets its 404.
/// </summary>
public sealed class WhippyContractTests : IDisposable
{
    private const string ListId = "6c510dfc-97a6-44a8-a966-e5b37ff1e9c5";
    private const string ListJson = """
        {"id":"6c510dfc-97a6-44a8-a966-e5b37ff1e9c5","name":"Spring event invitees","color":"#ffeb3b","state":"active",
         "organization_id":"38f41b71-c138-4fe2-a77e-14a6c6153087","created_at":"2024-03-01T10:00:00Z","updated_at":"2024-03-01T10:00:00Z"}
        """;

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly ServiceProvider _services;

    public WhippyContractTests()
    {
        _services = WhippyTestHost.Build(new Uri(_server.Url!), o => o.ListPageSize = 2);
    }

    public void Dispose()
    {
        _services.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    private static IRequestBuilder Whippy(string path) => Request.Create()
        .WithPath(path)
        .WithHeader("X-WHIPPY-KEY", WhippyTestHost.ApiKey, MatchBehaviour.AcceptOnMatch)
        .WithHeader("Accept", new WildcardMatcher("*application/json*"));

    private static IResponseBuilder JsonAnswer(int status, string body) => Response.Create()
        .WithStatusCode(status)
        .WithHeader("Content-Type", "application/json")
        .WithBody(body);

    [Fact]
    public async Task List_contact_lists_sends_offset_and_limit_and_pages_until_total()
    {
        _server.Given(Whippy("/v1/contacts/lists").UsingGet().WithParam("offset", "0").WithParam("limit", "2"))
            .RespondWith(JsonAnswer(200, $$"""{"data":[{{ListJson}},{"id":"l2","name":"Second","state":"archived"}],"total":3}"""));
        _server.Given(Whippy("/v1/contacts/lists").UsingGet().WithParam("offset", "2").WithParam("limit", "2"))
            .RespondWith(JsonAnswer(200, """{"data":[{"id":"l3","name":"Third","state":"active"}],"total":3}"""));

        var lists = await _services.Client().GetListsAsync().ToListAsync();

        lists.Select(l => l.Id).Should().Equal(ListId, "l2", "l3");
        lists[0].Should().BeEquivalentTo(new ContactList
        {
            Id = ListId,
            Name = "Spring event invitees",
            CreatedAt = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.Zero),
            Status = ContactListStatus.Active,
        });
        lists[1].Status.Should().Be(ContactListStatus.Archived);
        _server.LogEntries.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public async Task Create_contact_list_posts_name_and_color_as_json(int status)
    {
        _server.Given(Whippy("/v1/contacts/lists").UsingPost()
                .WithHeader("Content-Type", new WildcardMatcher("application/json*"))
                .WithBody(new JsonMatcher("""{"name":"Spring event invitees","color":"#ffeb3b"}""")))
            .RespondWith(JsonAnswer(status, $$"""{"data":{{ListJson}}}"""));
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), o => o.NewListColor = "#ffeb3b");

        var list = await services.Client().CreateListAsync(new NewContactList("Spring event invitees"));

        list.Id.Should().Be(ListId);
        list.Status.Should().Be(ContactListStatus.Active);
    }

    [Fact]
    public async Task Create_contact_list_through_the_typed_api_sends_contacts_and_opt_ins()
    {
        _server.Given(Whippy("/v1/contacts/lists").UsingPost().WithBody(new JsonMatcher("""
                {"name":"Spring event invitees","color":"#ffeb3b",
                 "contacts":[{"phone":"+14155550101","name":"Ada","email":"ada@example.com"}],
                 "opt_in_to":[{"id":"a998e812-8280-454f-8052-b1ef05f406b0"},{"phone":"+14155550199"}],
                 "opt_in_to_all_channels":false}
                """)))
            .RespondWith(JsonAnswer(201, $$"""{"data":{{ListJson}}}"""));

        var response = await _services.WhippyApi().CreateContactListAsync(new WhippyCreateContactListRequest
        {
            Name = "Spring event invitees",
            Color = "#ffeb3b",
            Contacts = [new WhippyContactInput { Phone = "+14155550101", Name = "Ada", Email = "ada@example.com" }],
            OptInTo = [new WhippyOptIn { Id = "a998e812-8280-454f-8052-b1ef05f406b0" }, new WhippyOptIn { Phone = "+14155550199" }],
            OptInToAllChannels = false,
        });

        response.Data!.OrganizationId.Should().Be("38f41b71-c138-4fe2-a77e-14a6c6153087");
    }

    [Fact]
    public async Task Get_contact_list_reads_the_list_and_its_embedded_contacts()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}").UsingGet())
            .RespondWith(JsonAnswer(200, $$$$"""
                {"data":{"id":"{{{{ListId}}}}","name":"Spring event invitees","state":"active","created_at":"2024-03-01T10:00:00Z",
                  "contacts":{"data":[{"id":"c1","phone":"+14155550101","email":"ada@example.com","name":"Ada King Lovelace",
                                        "external_id":"crm-1","state":"open","blocked":false,"properties":{"tier":"gold","visits":3},
                                        "communication_preferences":[]}],"total":1}}}
                """));
        var client = _services.Client();

        var list = await client.GetListAsync(ListId);
        var count = await client.CountContactsAsync(ListId);
        var contacts = await client.GetContactsAsync(ListId).ToListAsync();

        list.ContactCount.Should().Be(1);
        count.Should().Be(1);
        contacts.Should().ContainSingle().Which.Should().BeEquivalentTo(new Contact
        {
            Id = "c1",
            Phone = "+14155550101",
            Email = "ada@example.com",
            FirstName = "Ada",
            LastName = "King Lovelace",
            ExternalId = "crm-1",
            Attributes = new Dictionary<string, string> { ["tier"] = "gold", ["visits"] = "3" },
        });
    }

    [Fact]
    public async Task Update_contact_list_puts_name_and_state()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}").UsingPut()
                .WithBody(new JsonMatcher("""{"name":"Renamed","state":"archived"}""")))
            .RespondWith(JsonAnswer(200, $$$"""{"data":{"id":"{{{ListId}}}","name":"Renamed","state":"archived"}}"""));

        var list = await _services.Client().UpdateListAsync(ListId, new ContactListUpdate { Name = "Renamed", Archived = true });

        list.Name.Should().Be("Renamed");
        list.Status.Should().Be(ContactListStatus.Archived);
    }

    [Fact]
    public async Task Delete_contact_list_is_reported_as_a_soft_delete()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}").UsingDelete())
            .RespondWith(JsonAnswer(200, $$$"""{"data":{"id":"{{{ListId}}}","name":"Spring event invitees","state":"deleted"}}"""));

        var deletion = await _services.Client().DeleteListAsync(ListId);

        deletion.IsSoftDelete.Should().BeTrue();
        deletion.List!.Status.Should().Be(ContactListStatus.Deleted);
    }

    [Fact]
    public async Task Add_contacts_puts_action_add_with_contacts_and_the_configured_opt_ins()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut()
                .WithHeader("Content-Type", new WildcardMatcher("application/json*"))
                .WithBody(new JsonMatcher("""
                    {"action":"add",
                     "contacts":[{"phone":"+14155550101","name":"Ada Lovelace","email":"ada@example.com","external_id":"crm-1","properties":{"tier":"gold"}}],
                     "opt_in_to":[{"id":"0ea1456d-dce8-4a07-8b50-869becf1f6f6"},{"phone":"+14155550199"}],
                     "opt_in_to_all_channels":false}
                    """)))
            .RespondWith(JsonAnswer(200, """{"data":{"message":"Contact list contacts are being updated"}}"""));
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), o =>
        {
            o.OptInToChannelIds.Add("0ea1456d-dce8-4a07-8b50-869becf1f6f6");
            o.OptInToChannelPhones.Add("+14155550199");
            o.OptInToAllChannels = false;
        });

        var result = await services.Client().AddContactsAsync(ListId, [new Contact
        {
            Phone = "+1 (415) 555-0101",
            FirstName = "Ada",
            LastName = "Lovelace",
            Email = "ada@example.com",
            ExternalId = "crm-1",
            Attributes = new Dictionary<string, string> { ["tier"] = "gold" },
        }]);

        result.AcceptedForProcessing.Should().Be(1);
        result.Accepted.Should().Be(0, "Whippy applies the change later; nothing is confirmed");
        result.Batches.Should().ContainSingle().Which.ProviderMessage.Should().Be("Contact list contacts are being updated");
    }

    [Fact]
    public async Task By_default_adds_opt_no_one_in_to_all_channels()
    {
        // Whippy opts contacts in to every channel when opt_in_to_all_channels is left out; the SDK always says false unless told.
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut())
            .RespondWith(JsonAnswer(200, """{"data":{"message":"Contact list contacts are being updated"}}"""));

        await _services.Client().AddContactsAsync(ListId, [new Contact { Phone = "+14155550101" }]);
        await _services.Client().ReplaceContactsAsync(ListId, [new Contact { Phone = "+14155550102" }]);

        var bodies = _server.LogEntries.Select(e => System.Text.Json.JsonDocument.Parse(e.RequestMessage!.Body!).RootElement).ToList();
        bodies.Should().HaveCount(2).And.OnlyContain(b => b.GetProperty("opt_in_to_all_channels").ValueKind == System.Text.Json.JsonValueKind.False);
        bodies.Select(b => b.GetProperty("action").GetString()).Should().Equal("add", "overwrite");
    }

    [Fact]
    public async Task Update_contacts_puts_action_add_and_never_opts_anyone_in_whatever_the_options_say()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut()
                .WithHeader("X-WHIPPY-KEY", WhippyTestHost.ApiKey)
                .WithHeader("Content-Type", new WildcardMatcher("application/json*"))
                .WithBody(new JsonMatcher("""
                    {"action":"add",
                     "contacts":[{"phone":"+14155550101","name":"Ada King","email":"ada@example.com","properties":{"tier":"platinum"}}],
                     "opt_in_to_all_channels":false}
                    """)))
            .RespondWith(JsonAnswer(200, """{"data":{"message":"Contact list contacts are being updated"}}"""));
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), o =>
        {
            // Consent given for new contacts: an update, which changes members' fields, must still not touch it.
            o.OptInToChannelIds.Add("0ea1456d-dce8-4a07-8b50-869becf1f6f6");
            o.OptInToAllChannels = true;
        });

        var result = await services.Client().UpdateContactsAsync(ListId, [new Contact
        {
            Phone = "+14155550101",
            FirstName = "Ada",
            LastName = "King",
            Email = "ada@example.com",
            Attributes = new Dictionary<string, string> { ["tier"] = "platinum" },
        }]);

        result.Operation.Should().Be(BulkOperation.Update);
        result.AcceptedForProcessing.Should().Be(1);
        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Query.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Remove_contacts_puts_action_remove_without_opt_ins()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut()
                .WithBody(new JsonMatcher("""{"action":"remove","contacts":[{"phone":"+14155550101"}]}""")))
            .RespondWith(JsonAnswer(202, """{"data":{"message":"Contact list contacts are being updated"}}"""));
        await using var services = WhippyTestHost.Build(new Uri(_server.Url!), o => o.OptInToChannelIds.Add("0ea1456d-dce8-4a07-8b50-869becf1f6f6"));

        var result = await services.Client().RemoveContactsAsync(ListId, [new Contact { Phone = "+14155550101" }]);

        result.AcceptedForProcessing.Should().Be(1);
    }

    [Fact]
    public async Task Replace_contacts_puts_action_overwrite()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut()
                .WithBody(new JsonMatcher("""{"action":"overwrite","contacts":[{"phone":"+14155550101"},{"phone":"+14155550102"}],"opt_in_to_all_channels":false}""")))
            .RespondWith(JsonAnswer(200, """{"data":{"message":"Contact list contacts are being updated"}}"""));

        var result = await _services.Client().ReplaceContactsAsync(ListId, [new Contact { Phone = "+14155550101" }, new Contact { Phone = "+14155550102" }]);

        result.AcceptedForProcessing.Should().Be(2);
        result.IsAtomic.Should().BeTrue();
    }

    [Fact]
    public async Task A_2xx_membership_answer_without_the_documented_body_is_not_counted_as_accepted()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut())
            .RespondWith(Response.Create().WithStatusCode(202));

        var result = await _services.Client().AddContactsAsync(ListId, [new Contact { Phone = "+14155550101" }], new BulkOptions { ContinueOnError = true, MaxBatchRetries = 0 });

        result.AcceptedForProcessing.Should().Be(0);
        result.NotSent.Should().ContainSingle().Which.Reason.Should().Be(NotSentReason.MayHaveBeenReceived);
        result.Batches.Single().Error.Should().BeOfType<ContactListUnexpectedAnswerException>()
            .Which.Problem.Should().Be(UnexpectedAnswerProblem.Empty);
    }

    [Fact]
    public async Task A_membership_answer_without_the_being_updated_message_is_not_counted_as_accepted()
    {
        _server.Given(Whippy($"/v1/contacts/lists/{ListId}/contacts").UsingPut())
            .RespondWith(JsonAnswer(200, """{"data":{}}"""));

        var result = await _services.Client().AddContactsAsync(ListId, [new Contact { Phone = "+14155550101" }], new BulkOptions { ContinueOnError = true, MaxBatchRetries = 0 });

        result.AcceptedForProcessing.Should().Be(0);
        result.Batches.Single().Error.Should().BeOfType<ContactListUnexpectedAnswerException>()
            .Which.MayHaveBeenApplied.Should().BeTrue();
    }

    [Theory]
    [InlineData(401, typeof(ContactListAuthenticationException), "Not authenticated")]
    [InlineData(403, typeof(ContactListAuthenticationException), "Forbidden")]
    [InlineData(404, typeof(ContactListNotFoundException), "Contact list not found")]
    [InlineData(422, typeof(ContactListRequestRejectedException), "The contact list must be active")]
    [InlineData(400, typeof(ContactListRequestRejectedException), "Malformed")]
    public async Task The_documented_error_body_is_parsed_into_the_typed_exception(int status, Type expected, string description)
    {
        _server.Given(Request.Create().WithPath($"/v1/contacts/lists/{ListId}").UsingGet())
            .RespondWith(JsonAnswer(status, $$"""{"errors":[{"description":"{{description}}"}],"status":{{status}}}""").WithHeader("X-Request-Id", "req-42"));

        var act = () => _services.Client().GetListAsync(ListId);

        var error = (await act.Should().ThrowAsync<ContactListException>()).Which;
        error.Should().BeOfType(expected);
        error.Provider.Should().Be("Whippy");
        error.StatusCode.Should().Be((HttpStatusCode)status);
        error.RequestId.Should().Be("req-42");
        error.ErrorMessages.Should().Equal(description);
        error.ErrorBody.Should().Contain(description);
        error.Message.Should().Contain(description).And.Contain($"GET /v1/contacts/lists/{ListId}").And.Contain("req-42");
        error.Message.Should().NotContain(WhippyTestHost.ApiKey);
    }

    [Fact]
    public async Task An_error_body_in_another_shape_is_kept_whole()
    {
        _server.Given(Request.Create().WithPath($"/v1/contacts/lists/{ListId}").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(418).WithBody("<html>teapot</html>"));

        var error = (await FluentActions.Awaiting(() => _services.Client().GetListAsync(ListId)).Should().ThrowAsync<ContactListException>()).Which;

        error.ErrorBody.Should().Be("<html>teapot</html>");
        error.ErrorMessages.Should().BeEmpty();
    }

    [Fact]
    public async Task The_health_probe_reads_one_list_and_nothing_else()
    {
        _server.Given(Whippy("/v1/contacts/lists").UsingGet().WithParam("offset", "0").WithParam("limit", "1"))
            .RespondWith(JsonAnswer(200, $$"""{"data":[{{ListJson}}],"total":7}"""));

        var probed = await ((ContactListClientBase)_services.Client()).ProbeAsync(CancellationToken.None);

        probed.Should().BeTrue();
        var request = _server.LogEntries.Should().ContainSingle().Subject.RequestMessage!;
        (request.Method, request.Path, request.RawQuery).Should().Be(("GET", "/v1/contacts/lists", "?offset=0&limit=1"));
        request.Body.Should().BeNullOrEmpty();
    }

    /// <summary>
    /// Whippy prints its base address as <c>https://api.whippy.co/v1</c>: with or without that <c>/v1</c> (or behind
    /// a gateway's path), the request path carries <c>/v1</c> once.
    /// </summary>
    [Theory]
    [InlineData("", "/v1/contacts/lists/l1")]
    [InlineData("/v1", "/v1/contacts/lists/l1")]
    [InlineData("/v1/", "/v1/contacts/lists/l1")]
    [InlineData("/gateway/whippy", "/gateway/whippy/v1/contacts/lists/l1")]
    [InlineData("/gateway/whippy/v1", "/gateway/whippy/v1/contacts/lists/l1")]
    public async Task The_base_address_works_with_or_without_the_documented_v1(string basePath, string expectedPath)
    {
        _server.Given(Request.Create().UsingGet().WithPath(expectedPath)).RespondWith(JsonAnswer(200, $$"""{"data":{{ListJson}}}"""));
        await using var services = WhippyTestHost.Build(new Uri(_server.Url + basePath));

        await services.Client().GetListAsync("l1");

        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Path.Should().Be(expectedPath);
    }
}
