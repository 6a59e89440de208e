using System.Net;
using System.Text.Json.Nodes;
using ContactLists.Providers.Octopush;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Contract.Octopush;

/// <summary>Each Octopush endpoint: the exact request Octopush documents, and what the adapter composes from them.</summary>
public sealed class OctopushContractTests : IDisposable
{
    private const string Login = "ops@example.com";
    private const string Key = "octo-KEY-never-logged";

    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private ServiceProvider Build(Action<OctopushOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddOctopush("sms", o =>
        {
            o.BaseAddress = new Uri(_server.Url!);
            o.ApiLogin = Login;
            o.ApiKey = Key;
            configure?.Invoke(o);
        }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1)));
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("sms");

    /// <summary>How an answer is read is under test here, not the in-call resend of a batch it failed (BulkEngine's own tests).</summary>
    private static readonly BulkOptions NoResend = new() { MaxBatchRetries = 0 };

    private static IRequestBuilder Octopush(string path) => Request.Create().WithPath("/v1/public" + path)
        .WithHeader("api-login", Login, MatchBehaviour.AcceptOnMatch)
        .WithHeader("api-key", Key, MatchBehaviour.AcceptOnMatch)
        .WithHeader("Content-Type", new WildcardMatcher("application/json*"));

    private void Answer(IRequestBuilder request, int status) => _server.Given(request).RespondWith(Response.Create().WithStatusCode(status));

    private IEnumerable<JsonNode> Bodies(string path) => _server.LogEntries
        .Where(e => e.RequestMessage!.Path == "/v1/public" + path)
        .Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!);

    [Fact]
    public async Task Create_list_posts_its_name()
    {
        Answer(Octopush("/contact-list/create").UsingPost().WithBody(new JsonMatcher("""{"list_name":"newsletter_fr"}""")), 201);
        await using var services = Build();

        var list = await Client(services).CreateListAsync(new NewContactList("newsletter_fr"));

        list.Id.Should().Be("newsletter_fr", "Octopush addresses lists by name");
        list.Name.Should().Be("newsletter_fr");
    }

    [Fact]
    public async Task Delete_list_sends_a_DELETE_with_a_json_body()
    {
        Answer(Octopush("/contact-list/delete").UsingDelete().WithBody(new JsonMatcher("""{"list_name":"newsletter_fr"}""")), 204);
        await using var services = Build();

        var deletion = await Client(services).DeleteListAsync("newsletter_fr");

        deletion.IsSoftDelete.Should().BeFalse();
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    public async Task Add_contacts_posts_contacts_list_tag_and_the_configured_flags(int status)
    {
        Answer(Octopush("/contact/create").UsingPost().WithBody(new JsonMatcher("""
            {"contacts":[{"phone_number":"+33601020304","first_name":"Axelle","last_name":"Durand","param3":"Mme"},
                         {"phone_number":"+447911123456","first_name":"John","last_name":"Smith"}],
             "list_name":"newsletter_fr","tag_name":"vip","do_not_overwrite":true,"auto_delete_optout_contacts":true}
            """)), status);
        await using var services = Build(o =>
        {
            o.TagName = "vip";
            o.DoNotOverwrite = true;
            o.SkipOptedOutContacts = true;
            o.Param3Attribute = "civility";
            // Octopush does not document this call's success status: each plausible one is accepted once it is set.
            o.AddContactsSuccessStatuses = [status];
        });

        var result = await Client(services).AddContactsAsync("newsletter_fr",
        [
            new Contact { Phone = "+33 6 01 02 03 04", FirstName = "Axelle", LastName = "Durand", Attributes = new Dictionary<string, string> { ["civility"] = "Mme" } },
            new Contact { Phone = "+447911123456", FirstName = "John", LastName = "Smith", Email = "john@example.com" },
        ]);

        result.Accepted.Should().Be(2);
        result.DroppedFields.Should().Equal(new Dictionary<string, long> { ["Email"] = 1 }, "Octopush stores no e-mail, and the result says so");
    }

    [Fact]
    public async Task Update_contacts_posts_the_contacts_to_the_list_again_since_a_create_overwrites_a_number()
    {
        Answer(Octopush("/contact/create").UsingPost()
            .WithHeader("api-login", Login).WithHeader("api-key", Key)
            .WithBody(new JsonMatcher("""{"contacts":[{"phone_number":"+33601020304","first_name":"Axelle","last_name":"Martin"}],"list_name":"newsletter_fr"}""")), 201);
        await using var services = Build();
        await using var keepsFields = Build(o => o.DoNotOverwrite = true);

        var result = await Client(services).UpdateContactsAsync("newsletter_fr", [new Contact { Phone = "+33601020304", FirstName = "Axelle", LastName = "Martin" }]);
        var refused = () => Client(keepsFields).UpdateContactsAsync("newsletter_fr", [new Contact { Phone = "+33601020304" }]);

        result.Accepted.Should().Be(1);
        result.Operation.Should().Be(BulkOperation.Update);
        Client(keepsFields).Capabilities.HasFlag(ContactListCapabilities.UpdateContacts).Should().BeFalse("with DoNotOverwrite a create leaves existing contacts as they are");
        await refused.Should().ThrowAsync<ContactListOperationNotSupportedException>();
        _server.LogEntries.Should().ContainSingle();
    }

    [Theory]
    [InlineData(200)]
    [InlineData(204)]
    [InlineData(202)]
    public async Task By_default_only_a_201_to_add_contacts_counts_them_accepted(int status)
    {
        Answer(Octopush("/contact/create").UsingPost(), status);
        await using var services = Build();

        var act = () => Client(services).AddContactsAsync("l", [new Contact { Phone = "+33601020304" }], NoResend);

        var error = (await act.Should().ThrowAsync<ContactListBulkException>()).Which;
        error.Result.Accepted.Should().Be(0, "an answer Octopush is not known to give is not counted as done");
        error.Result.NotSent.Should().ContainSingle().Which.Reason.Should().Be(NotSentReason.MayHaveBeenReceived);
        error.Result.Batches.Single().Error.Should().BeOfType<ContactListUnexpectedAnswerException>().Which.Problem.Should().Be(UnexpectedAnswerProblem.UnexpectedStatus);
    }

    [Theory]
    [InlineData("[]", "not a JSON object")]
    [InlineData("[{\"phone_number\":\"+33601020304\"}]", "not a JSON object")]
    [InlineData("\"ok\"", "not a JSON object")]
    [InlineData("{\"code\":400,\"message\":\"contacts is required\"}", "error object")]
    [InlineData("{\"error\":\"Unauthorized\"}", "error object")]
    [InlineData("{\"success\":false}", "success: false")]
    public async Task A_201_whose_body_is_not_an_Octopush_answer_does_not_count_contacts_accepted(string body, string why)
    {
        _server.Given(Octopush("/contact/create").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(body));
        await using var services = Build();

        var act = () => Client(services).AddContactsAsync("l", [new Contact { Phone = "+33601020304" }, new Contact { Phone = "+33601020305" }], NoResend);

        var error = (await act.Should().ThrowAsync<ContactListBulkException>()).Which;
        error.Result.Accepted.Should().Be(0);
        var answer = error.Result.Batches.Single().Error.Should().BeOfType<ContactListUnexpectedAnswerException>().Which;
        answer.Problem.Should().Be(UnexpectedAnswerProblem.UnexpectedShape);
        answer.Message.Should().Contain(why);
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("{\"contacts\":2}")]
    public async Task A_201_with_an_empty_or_plain_object_body_counts_contacts_accepted(string body)
    {
        _server.Given(Octopush("/contact/create").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody(body));
        await using var services = Build();

        (await Client(services).AddContactsAsync("l", [new Contact { Phone = "+33601020304" }])).Accepted.Should().Be(1);
    }

    [Fact]
    public async Task The_opt_out_parameter_can_be_sent_under_its_older_name()
    {
        Answer(Octopush("/contact/create").UsingPost().WithBody(new JsonMatcher("""
            {"contacts":[{"phone_number":"+33601020304"}],"list_name":"l","auto_remove_blacklisted_numbers":true}
            """)), 201);
        await using var services = Build(o =>
        {
            o.SkipOptedOutContacts = true;
            o.OptOutParameterName = OctopushOptOutParameter.AutoRemoveBlacklistedNumbers;
        });

        (await Client(services).AddContactsAsync("l", [new Contact { Phone = "+33601020304" }])).Accepted.Should().Be(1);
    }

    [Fact]
    public async Task Remove_contacts_sends_DELETE_bodies_of_at_most_200_numbers_for_the_list()
    {
        Answer(Octopush("/contact-list/create").UsingPost().WithBody(new JsonMatcher("""{"list_name":"newsletter_fr"}""")), 201);
        Answer(Octopush("/contact/delete").UsingDelete(), 204);
        await using var services = Build();
        var contacts = Enumerable.Range(0, 450).Select(i => new Contact { Phone = $"+336120{i:D5}" }).ToArray();

        var result = await Client(services).RemoveContactsAsync("newsletter_fr", contacts, new BulkOptions { BatchSize = 1000 });

        // Every delete is preceded by the list guard's create, so that it names a list Octopush knows.
        _server.LogEntries.Select(e => e.RequestMessage!.Path.Split('/').Last()).Should().Equal("create", "delete", "create", "delete", "create", "delete");
        var bodies = Bodies("/contact/delete").ToList();
        bodies.Select(b => b["phone_numbers"]!.AsArray().Count).Should().Equal(200, 200, 50);
        bodies.Should().OnlyContain(b => b["list_name"]!.GetValue<string>() == "newsletter_fr");
        bodies[0]["phone_numbers"]![0]!.GetValue<string>().Should().Be("+33612000000");
        result.Accepted.Should().Be(450);
    }

    [Fact]
    public async Task Replace_empties_the_list_then_adds_and_says_it_was_not_atomic()
    {
        Answer(Octopush("/contact-list/create").UsingPost(), 201);
        Answer(Octopush("/contact-list/empty").UsingPost().WithBody(new JsonMatcher("""{"list_name":"newsletter_fr","delete_contacts":false}""")), 200);
        Answer(Octopush("/contact/create").UsingPost(), 201);
        await using var services = Build();

        var result = await Client(services).ReplaceContactsAsync("newsletter_fr",
            Enumerable.Range(0, 3).Select(i => new Contact { Phone = $"+3361234000{i}" }), new BulkOptions { BatchSize = 2 });

        _server.LogEntries.Select(e => e.RequestMessage!.Path).Should().Equal(
            "/v1/public/contact-list/create", "/v1/public/contact-list/empty", "/v1/public/contact/create", "/v1/public/contact/create");
        result.IsAtomic.Should().BeFalse();
        result.Accepted.Should().Be(3);
    }

    [Fact]
    public async Task Replacing_with_no_contacts_empties_the_list()
    {
        Answer(Octopush("/contact-list/empty").UsingPost(), 200);
        await using var services = Build(o => o.ListGuard = OctopushListGuard.None);

        var result = await Client(services).ReplaceContactsAsync("newsletter_fr", Array.Empty<Contact>());

        result.Read.Should().Be(0);
        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Path.Should().Be("/v1/public/contact-list/empty");
    }

    [Fact]
    public async Task What_Octopush_would_silently_fix_or_drop_is_refused_before_any_request()
    {
        await using var services = Build();
        var client = Client(services);

        await FluentActions.Awaiting(() => client.CreateListAsync(new NewContactList(new string('n', 31))))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*at most 30 characters*");
        await FluentActions.Awaiting(() => client.AddContactsAsync(new string('n', 31), [new Contact { Phone = "+33601020304" }]))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*at most 30 characters*");
        var phone = (await FluentActions.Awaiting(() => client.AddContactsAsync("l", [new Contact { Phone = "+33601020304" }, new Contact { Phone = "0601020304" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which;
        phone.ContactIndex.Should().Be(1);
        phone.Field.Should().Be("Phone");
        await using var strict = Build(o => o.UnplacedAttributes = UnplacedAttributeHandling.Reject);
        var attribute = (await FluentActions.Awaiting(() => Client(strict).AddContactsAsync("l",
                [new Contact { Phone = "+33601020304", Attributes = new Dictionary<string, string> { ["loyalty"] = "gold" } }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which;
        attribute.Field.Should().Be("Attributes[loyalty]");
        attribute.Message.Should().Contain("param1, param2, param3, param4, param5").And.Contain("AttributeMap");

        _server.LogEntries.Should().BeEmpty();
    }

    /// <summary>
    /// By default an attribute with no param slot is left out and counted, the contact still sent; an attribute mapped to
    /// a slot (AttributeMap, or the slot's own name in any case) is sent in it.
    /// </summary>
    [Fact]
    public async Task Attributes_without_a_slot_are_left_out_and_counted_and_mapped_ones_are_sent_in_their_slot()
    {
        _server.Given(Octopush("/contact/create").UsingPost()).RespondWith(Response.Create().WithStatusCode(201));
        await using var services = Build(o => o.AttributeMap["Tier"] = "param2");

        var result = await Client(services).AddContactsAsync("l",
        [
            new Contact { Phone = "+33601020304", Attributes = new Dictionary<string, string> { ["Tier"] = "gold", ["City"] = "Lyon", ["PARAM4"] = "x" } },
            new Contact { Phone = "+33601020305", Attributes = new Dictionary<string, string> { ["City"] = "Nice" } },
        ]);

        result.Accepted.Should().Be(2);
        result.DroppedFields.Should().Equal(new Dictionary<string, long> { ["Attributes[City]"] = 2 });
        var body = _server.LogEntries.Single().RequestMessage!.Body!;
        body.Should().Contain("\"param2\":\"gold\"").And.Contain("\"param4\":\"x\"").And.NotContain("Lyon");
    }

    [Fact]
    public async Task Lists_and_reads_Octopush_does_not_offer_are_refused_as_unsupported()
    {
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).CountContactsAsync("l")).Should().ThrowAsync<ContactListOperationNotSupportedException>()).Which;

        error.Provider.Should().Be("Octopush");
        error.Operation.Should().Be("CountContacts");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task Adding_contacts_is_repeated_after_a_503_but_creating_a_list_is_not()
    {
        _server.Given(Octopush("/contact/create").UsingPost()).InScenario("flaky").WillSetStateTo("ok").RespondWith(Response.Create().WithStatusCode(503));
        _server.Given(Octopush("/contact/create").UsingPost()).InScenario("flaky").WhenStateIs("ok").RespondWith(Response.Create().WithStatusCode(201));
        Answer(Octopush("/contact-list/create").UsingPost(), 503);
        await using var services = Build();

        (await Client(services).AddContactsAsync("l", [new Contact { Phone = "+33601020304" }])).Accepted.Should().Be(1);
        await FluentActions.Awaiting(() => Client(services).CreateListAsync(new NewContactList("l2"))).Should().ThrowAsync<ContactListTransientException>();

        _server.LogEntries.Count(e => e.RequestMessage!.Path.EndsWith("/contact/create", StringComparison.Ordinal)).Should().Be(2);
        _server.LogEntries.Count(e => e.RequestMessage!.Path.EndsWith("/contact-list/create", StringComparison.Ordinal)).Should().Be(1);
    }

    [Fact]
    public async Task Errors_keep_the_raw_body_and_read_its_message()
    {
        _server.Given(Request.Create().WithPath("/v1/public/contact-list/delete").UsingDelete())
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json").WithBody("""{"code":403,"message":"Forbidden to view."}"""));
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).DeleteListAsync("l")).Should().ThrowAsync<ContactListAuthenticationException>()).Which;

        error.ErrorMessages.Should().Equal("Forbidden to view.");
        error.ErrorBody.Should().Contain("\"code\":403");
        error.Message.Should().Contain("api-login").And.NotContain(Key);
        error.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData(201, "")]
    [InlineData(409, "")]
    [InlineData(400, """{"code":400,"message":"This list already exists"}""")]
    public async Task The_list_guard_goes_on_under_each_plausible_answer_to_a_name_already_taken(int status, string body)
    {
        // Octopush does not document its answer to contact-list/create with a name already taken.
        _server.Given(Octopush("/contact-list/create").UsingPost().WithBody(new JsonMatcher("""{"list_name":"newsletter_fr"}""")))
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body).WithHeader("Content-Type", "application/json"));
        Answer(Octopush("/contact/delete").UsingDelete(), 204);
        await using var services = Build();

        var result = await Client(services).RemoveContactsAsync("newsletter_fr", [new Contact { Phone = "+33612000001" }]);

        result.Accepted.Should().Be(1);
        Bodies("/contact/delete").Should().ContainSingle().Which["list_name"]!.GetValue<string>().Should().Be("newsletter_fr");
    }

    [Fact]
    public async Task A_refused_list_guard_that_does_not_say_the_list_exists_sends_no_delete()
    {
        _server.Given(Octopush("/contact-list/create").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody("""{"code":400,"message":"Quota of lists reached"}""").WithHeader("Content-Type", "application/json"));
        Answer(Octopush("/contact/delete").UsingDelete(), 204);
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).RemoveContactsAsync("newsletter_fr", [new Contact { Phone = "+33612000001" }], new BulkOptions { ContinueOnError = false }))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        var refused = error.InnerException.Should().BeOfType<ContactListRequestRejectedException>().Which;
        refused.Message.Should().Contain("did not confirm that the list 'newsletter_fr' exists").And.Contain("Quota of lists reached").And.NotContain(Key);
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        error.Result.NotSent.Should().ContainSingle();
        Bodies("/contact/delete").Should().BeEmpty("a delete naming a list Octopush may not know could be account-wide");
    }

    [Fact]
    public async Task Without_the_list_guard_a_remove_sends_only_the_delete()
    {
        Answer(Octopush("/contact/delete").UsingDelete(), 204);
        await using var services = Build(o => o.ListGuard = OctopushListGuard.None);

        await Client(services).RemoveContactsAsync("newsletter_fr", [new Contact { Phone = "+33612000001" }]);

        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Path.Should().Be("/v1/public/contact/delete");
    }

    /// <summary>Octopush prints its base address as <c>https://api.octopush.com/v1/public</c>: with or without that prefix, the path carries it once.</summary>
    [Theory]
    [InlineData("", "/v1/public/contact-list/create")]
    [InlineData("/v1/public", "/v1/public/contact-list/create")]
    [InlineData("/v1/public/", "/v1/public/contact-list/create")]
    [InlineData("/gateway", "/gateway/v1/public/contact-list/create")]
    [InlineData("/gateway/v1/public", "/gateway/v1/public/contact-list/create")]
    public async Task The_base_address_works_with_or_without_the_documented_prefix(string basePath, string expectedPath)
    {
        _server.Given(Request.Create().UsingPost().WithPath(expectedPath)).RespondWith(Response.Create().WithStatusCode(201));
        await using var services = Build(o => o.BaseAddress = new Uri(_server.Url + basePath));

        await Client(services).CreateListAsync(new NewContactList("newsletter_fr"));

        _server.LogEntries.Should().ContainSingle().Which.RequestMessage!.Path.Should().Be(expectedPath);
    }
}
