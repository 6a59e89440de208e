using System.Net;
using System.Text.Json.Nodes;
using ContactLists.Providers.SlickText;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using ContactLists.Adapters;

namespace ContactLists.Tests.Contract.SlickText;

/// <summary>Each SlickText endpoint: the exact request SlickText documents and the parsing of its answers; contact resolution; composed replace.</summary>
public sealed class SlickTextContractTests : IDisposable
{
    private const string Key = "st_live_key-never-logged";
    private const string Brand = "/v1/brands/1234500001";
    private const string ListJson = """{"contact_list_id":3101,"_brand_id":1234500001,"name":"VIP","description":"In-store VIP club","created":"2025-03-04 09:12:55"}""";

    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private ServiceProvider Build(Action<SlickTextOptions>? configure = null, HttpMessageHandler? primary = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            var client = b.AddSlickText("brand", o =>
            {
                o.BaseAddress = new Uri(primary is null ? _server.Url! : "https://dev.slicktext.test");
                o.ApiKey = Key;
                o.PageSize = 2;
                configure?.Invoke(o);
            }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1));
            if (primary is not null)
            {
                client.HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => primary);
            }
        });
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("brand");

    private static IRequestBuilder SlickText(string path) => Request.Create().WithPath(path)
        .WithHeader("Authorization", "Bearer " + Key, MatchBehaviour.AcceptOnMatch)
        .WithHeader("Accept", new WildcardMatcher("*application/json*"));

    private void Answer(IRequestBuilder request, int status, string body, bool rateLimitHeaders = false)
    {
        var response = Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);
        if (rateLimitHeaders)
        {
            response = response.WithHeader("x-RateLimit", "240").WithHeader("x-RateLimit-Remaining", "237").WithHeader("x-RateLimit-Reset", "42");
        }

        _server.Given(request).RespondWith(response);
    }

    private void GivenBrand() => Answer(SlickText("/v1/brands").UsingGet(), 200, """{"brand_id":1234500001,"_account_id":900001,"name":"Acme Coffee","country":"US"}""");

    private IEnumerable<string> Paths => _server.LogEntries.Select(e => e.RequestMessage!.Method + " " + e.RequestMessage.Path);

    [Fact]
    public async Task The_brand_is_discovered_once_and_lists_are_paged_until_hasMore_is_false()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists").UsingGet().WithParam("limit", "2").WithParam("offset", "0"), 200,
            $$$"""{"data":[{{{ListJson}}},{"contact_list_id":3102,"name":"B","created":"2025-03-05 10:00:00"}],"pagingData":{"prevPage":null,"currentPage":null,"nextPage":null,"currentPageString":null,"hasMore":true}}""");
        Answer(SlickText(Brand + "/lists").UsingGet().WithParam("limit", "2").WithParam("offset", "2"), 200,
            """{"data":[{"contact_list_id":3103,"name":"C","description":null,"created":"2025-03-06 10:00:00"}],"pagingData":{"hasMore":false}}""");
        await using var services = Build();
        var client = Client(services);

        var lists = await client.GetListsAsync().ToListAsync();
        await client.GetListsAsync().ToListAsync();

        lists.Select(l => l.Id).Should().Equal("3101", "3102", "3103");
        lists[0].Should().BeEquivalentTo(new ContactList
        {
            Id = "3101",
            Name = "VIP",
            Description = "In-store VIP club",
            CreatedAt = new DateTimeOffset(2025, 3, 4, 9, 12, 55, TimeSpan.Zero),
            Status = ContactListStatus.Active,
        });
        Paths.Count(p => p == "GET /v1/brands").Should().Be(1, "the brand id is discovered once per client");
    }

    [Fact]
    public async Task A_configured_brand_id_is_used_without_discovery()
    {
        Answer(SlickText(Brand + "/lists/3101").UsingGet(), 200, ListJson);
        await using var services = Build(o => o.BrandId = 1234500001);

        (await Client(services).GetListAsync("3101")).Name.Should().Be("VIP");
        Paths.Should().Equal("GET " + Brand + "/lists/3101");
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("America/New_York", -5)]
    public async Task Zone_less_times_are_read_in_the_configured_zone(string? zone, int offsetHours)
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists/3104").UsingGet(), 200, """{"contact_list_id":3104,"name":"Spring promo","created":"2025-03-07 08:00:00"}""");
        await using var services = Build(o => o.TimeZoneId = zone);

        var list = await Client(services).GetListAsync("3104");

        list.CreatedAt.Should().Be(new DateTimeOffset(2025, 3, 7, 8, 0, 0, TimeSpan.FromHours(offsetHours)));
        list.CreatedAt!.Value.Offset.Should().Be(TimeSpan.FromHours(offsetHours));
    }

    [Fact]
    public void An_unknown_time_zone_is_refused_at_start_up()
    {
        using var services = Build(o => o.TimeZoneId = "Mars/Olympus_Mons");

        var act = () => Client(services);

        act.Should().Throw<Microsoft.Extensions.Options.OptionsValidationException>().WithMessage("*TimeZoneId*Mars/Olympus_Mons*");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public async Task Create_edit_delete_and_count_lists(int status)
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists").UsingPost().WithBody(new JsonMatcher("""{"name":"Spring promo","description":"Signed up at the spring fair"}""")), status,
            """{"contact_list_id":3104,"_brand_id":1234500001,"name":"Spring promo","description":"Signed up at the spring fair","created":"2025-03-07 08:00:00"}""");
        Answer(SlickText(Brand + "/lists/3104").UsingPut().WithBody(new JsonMatcher("""{"name":"Spring promo 2025"}""")), 200,
            """{"contact_list_id":3104,"name":"Spring promo 2025","description":"Signed up at the spring fair"}""");
        Answer(SlickText(Brand + "/lists/3104/contacts/count").UsingGet(), 200, "228");
        Answer(SlickText(Brand + "/lists/3104").UsingDelete(), 200, "[]");
        await using var services = Build();
        var client = Client(services);

        var created = await client.CreateListAsync(new NewContactList("Spring promo", "Signed up at the spring fair"));
        var renamed = await client.UpdateListAsync(created.Id, new ContactListUpdate { Name = "Spring promo 2025" });
        var count = await client.CountContactsAsync(created.Id);
        var deletion = await client.DeleteListAsync(created.Id);

        created.Id.Should().Be("3104");
        renamed.Name.Should().Be("Spring promo 2025");
        count.Should().Be(228);
        deletion.IsSoftDelete.Should().BeFalse();
    }

    [Fact]
    public async Task A_lists_contacts_are_paged_and_read_tolerantly()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists/3101/contacts").UsingGet().WithParam("offset", "0"), 200, """
            {"data":[{"contact_id":5320593,"_brand_id":1234500001,"first_name":"Marta","last_name":null,"mobile_number":"+16155553338",
                      "email":"marta@example.com","zip":95420,"_source_id":"null","custom_fields":{"member":1,"membership_date":"1985-10-26"},
                      "opt_in_status":"not subscribed","created":"2025-03-04 09:12:55"},
                     {"contact_id":5320600,"mobile_number":"+16155553339","zip":"95421","opt_in_status":"pending subscription"}],
             "pagingData":{"hasMore":true}}
            """);
        Answer(SlickText(Brand + "/lists/3101/contacts").UsingGet().WithParam("offset", "2"), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        await using var services = Build();

        var contacts = await Client(services).GetContactsAsync("3101").ToListAsync();

        contacts.Should().HaveCount(2);
        contacts[0].Should().BeEquivalentTo(new Contact
        {
            Id = "5320593",
            Phone = "+16155553338",
            Email = "marta@example.com",
            FirstName = "Marta",
            // Custom fields by internal name, and the documented fields (zip, a number or a string) under their own names.
            Attributes = new Dictionary<string, string> { ["member"] = "1", ["membership_date"] = "1985-10-26", ["zip"] = "95420" },
            // The opt-in status, read only: "not subscribed" is not an opt-out.
            Consent = new ContactConsent(SmsOptedOut: false, EmailOptedOut: false, "not subscribed"),
        });
        contacts[1].Attributes.Should().Equal(new Dictionary<string, string> { ["zip"] = "95421" });
        contacts[1].Consent.Should().Be(new ContactConsent(false, false, "pending subscription"), "an unknown status is kept as SlickText wrote it, never thrown");
    }

    [Fact]
    public async Task Filter_values_are_percent_encoded_never_with_plus()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, """{"data":[],"pagingData":{"hasMore":false}}""");
        await using var services = Build(o => o.BrandId = 1, primary: stub);
        var api = services.GetRequiredKeyedService<ISlickTextApi>("brand");

        await api.GetListsAsync(1, name: "Join the VIP+ club");
        await api.FindContactsAsync(1, mobileNumber: "+16155553338");

        stub.Requests[0].Uri.Query.Should().Be("?name=Join%20the%20VIP%2B%20club");
        stub.Requests[1].Uri.Query.Should().Be("?mobile_number=%2B16155553338");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public async Task Adding_resolves_existing_contacts_creates_new_ones_and_names_the_unresolvable(int status)
    {
        GivenBrand();
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155553338").WithParam("limit", "1"), 200,
            """{"data":[{"contact_id":5320593,"mobile_number":"+16155553338"}],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155550001"), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("email", "ghost@example.com"), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        GivenCustomFields("""{"name":"Member","internal_name":"member","data_type":"boolean"}""");
        Answer(SlickText(Brand + "/contacts").UsingPost().WithBody(new JsonMatcher("""{"mobile_number":"+16155550001","first_name":"New","email":"new@example.com","custom_fields":{"member":"1"}}""")), status,
            """{"contact_id":5320777,"mobile_number":"+16155550001"}""");
        Answer(SlickText(Brand + "/lists/contacts").UsingPost().WithBody(new JsonMatcher("""
            [{"contact_id":5320593,"lists":[3101]},{"contact_id":5320777,"lists":[3101]},{"contact_id":42,"lists":[3101]}]
            """)), 200, """{"count":3}""", rateLimitHeaders: true);
        await using var services = Build();

        var result = await Client(services).AddContactsAsync("3101",
        [
            new Contact { Phone = "+1 (615) 555-3338" },
            new Contact { Phone = "+16155550001", FirstName = "New", Email = "new@example.com", Attributes = new Dictionary<string, string> { ["member"] = "1" } },
            new Contact { Email = "ghost@example.com" },
            new Contact { Id = "42" },
        ]);

        result.Accepted.Should().Be(3);
        result.Rejected.Should().ContainSingle().Which.Should().Match<RejectedContact>(r => r.Index == 2 && r.ByProvider && r.Reason.Contains("without a mobile number"));
        result.RateLimit.Should().Be(new RateLimitInfo(240, 237, TimeSpan.FromSeconds(42)));
        result.Batches.Single().ProviderCounts!["count"].Should().Be(3);
    }

    [Fact]
    public async Task Updating_puts_each_contacts_fields_by_its_id_never_its_opt_in_status_and_creates_no_one()
    {
        GivenBrand();
        GivenCustomFields("""{"name":"Tier","internal_name":"tier","data_type":"text"}""");
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155553338").WithParam("limit", "1"), 200,
            """{"data":[{"contact_id":5320593,"mobile_number":"+16155553338"}],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155550002"), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts/5320593").UsingPut()
            .WithHeader("Authorization", "Bearer " + Key)
            .WithHeader("Content-Type", new WildcardMatcher("application/json*"))
            .WithBody(new JsonMatcher("""{"mobile_number":"+16155553338","first_name":"Marta","email":"marta@example.com","city":"Nashville","custom_fields":{"tier":"gold"}}""")), 200,
            """{"contact_id":5320593,"mobile_number":"+16155553338","first_name":"Marta","opt_in_status":"unsubscribed"}""");
        Answer(SlickText(Brand + "/contacts/5320600").UsingPut().WithBody(new JsonMatcher("""{"first_name":"Known"}""")), 200, """{"contact_id":5320600}""");
        await using var services = Build(o => o.NewContactOptInStatus = "subscribed");

        var result = await Client(services).UpdateContactsAsync("3101",
        [
            new Contact { Phone = "+1 615 555 3338", FirstName = "Marta", Email = "marta@example.com", Attributes = new Dictionary<string, string> { ["city"] = "Nashville", ["tier"] = "gold" } },
            new Contact { Phone = "+16155550002", FirstName = "Nobody" },
            new Contact { Id = "5320600", FirstName = "Known" },
        ]);

        result.Accepted.Should().Be(2);
        result.Rejected.Should().ContainSingle().Which.Reason.Should().Contain("No SlickText contact has mobile number +16155550002");
        Paths.Should().NotContain("POST " + Brand + "/contacts", "an update never creates a contact");
        Paths.Count(p => p.StartsWith("PUT ", StringComparison.Ordinal)).Should().Be(2);
    }

    [Fact]
    public async Task Removing_looks_contacts_up_without_creating_and_sends_a_DELETE_with_the_array()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155553338"), 200, """{"data":[{"contact_id":5320593}],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingGet().WithParam("mobile_number", "+16155550002"), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/lists/contacts").UsingDelete().WithBody(new JsonMatcher("""[{"contact_id":5320593,"lists":[3101]}]""")), 200, """{"count":1}""");
        await using var services = Build();

        var result = await Client(services).RemoveContactsAsync("3101", [new Contact { Phone = "+16155553338" }, new Contact { Phone = "+16155550002" }]);

        result.Accepted.Should().Be(1);
        result.Rejected.Should().ContainSingle().Which.Reason.Should().Contain("No SlickText contact has mobile number +16155550002");
        Paths.Should().NotContain("POST " + Brand + "/contacts");
    }

    [Fact]
    public async Task The_unconfirmed_remove_endpoint_can_be_pointed_elsewhere()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists/contacts/remove").UsingPost().WithBody(new JsonMatcher("""[{"contact_id":42,"lists":[3101]}]""")), 200, """{"count":1}""");
        await using var services = Build(o =>
        {
            o.RemoveContactsFromListsMethod = "POST";
            o.RemoveContactsFromListsPath = "/v1/brands/{brand_id}/lists/contacts/remove";
        });

        (await Client(services).RemoveContactsAsync("3101", [new Contact { Id = "42" }])).Accepted.Should().Be(1);
        Paths.Should().Contain("POST " + Brand + "/lists/contacts/remove");
    }

    [Fact]
    public async Task The_per_membership_remove_alternative_sends_one_bodyless_DELETE_per_contact_and_list()
    {
        GivenBrand();
        Answer(SlickText("/v1/contacts/42/lists/3101").UsingDelete(), 200, "{}");
        Answer(SlickText("/v1/contacts/43/lists/3101").UsingDelete(), 404, """{"message":"Not a member."}""");
        await using var services = Build(o => o.RemoveContactsFromListsPath = "/v1/contacts/{contact_id}/lists/{contact_list_id}");

        var result = await Client(services).RemoveContactsAsync("3101", [new Contact { Id = "42" }, new Contact { Id = "43" }]);

        result.Accepted.Should().Be(2, "a contact that was not a member is not in the list either way");
        result.Batches.Single().ProviderCounts!["count"].Should().Be(1, "one membership was removed");
        var deletes = _server.LogEntries.Where(e => e.RequestMessage!.Method == "DELETE").ToList();
        deletes.Select(e => e.RequestMessage!.Path).Should().Equal("/v1/contacts/42/lists/3101", "/v1/contacts/43/lists/3101");
        deletes.Should().OnlyContain(e => string.IsNullOrEmpty(e.RequestMessage!.Body), "this form has no body");
    }

    [Fact]
    public async Task In_the_per_membership_form_a_bare_404_is_not_read_as_not_a_member()
    {
        // A 404 without SlickText's error body is a path nobody serves (SlickText serving the other form), not an answer
        // about the membership: counting it removed would report removals that never happened.
        GivenBrand();
        Answer(SlickText("/v1/contacts/42/lists/3101").UsingDelete(), 404, "");
        await using var services = Build(o => o.RemoveContactsFromListsPath = "/v1/contacts/{contact_id}/lists/{contact_list_id}");

        var error = (await FluentActions.Awaiting(() => Client(services).RemoveContactsAsync("3101", [new Contact { Id = "42" }]))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        error.InnerException.Should().BeOfType<ContactListNotFoundException>();
        error.Result.Accepted.Should().Be(0);
    }

    [Fact]
    public async Task Replace_reads_the_list_once_adds_only_new_members_then_removes_the_former_ones_and_says_it_was_not_atomic()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists/contacts").UsingPost(), 200, """{"count":2}""");
        Answer(SlickText(Brand + "/lists/3101/contacts").UsingGet().WithParam("offset", "0"), 200,
            """{"data":[{"contact_id":1},{"contact_id":2}],"pagingData":{"hasMore":true}}""");
        Answer(SlickText(Brand + "/lists/3101/contacts").UsingGet().WithParam("offset", "2"), 200,
            """{"data":[{"contact_id":3}],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/lists/contacts").UsingDelete().WithBody(new JsonMatcher("""[{"contact_id":1,"lists":[3101]}]""")), 200, """{"count":1}""");
        await using var services = Build();

        var result = await Client(services).ReplaceContactsAsync("3101", [new Contact { Id = "2" }, new Contact { Id = "3" }, new Contact { Id = "4" }]);

        result.IsAtomic.Should().BeFalse();
        result.Accepted.Should().Be(3);
        result.FormerMembersRemoved.Should().Be(1);
        var adds = _server.LogEntries.Single(e => e.RequestMessage!.Method == "POST");
        JsonNode.Parse(adds.RequestMessage!.Body!)!.AsArray().Select(m => m!["contact_id"]!.GetValue<long>()).Should().Equal([4], "2 and 3 are members already");
        Paths.Count(p => p == "GET " + Brand + "/lists/3101/contacts").Should().Be(2, "the list is read once, page by page");
    }

    [Fact]
    public async Task Ids_that_are_not_SlickText_numbers_are_refused_before_any_request()
    {
        await using var services = Build();

        await FluentActions.Awaiting(() => Client(services).GetListAsync("VIP")).Should().ThrowAsync<ContactListValidationException>().WithMessage("*positive numbers*");
        (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("3101", [new Contact { Id = "abc" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which.Field.Should().Be("Id");
        (await FluentActions.Awaiting(() => Client(services).AddContactsAsync("3101", [new Contact { FirstName = "Nobody" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which.Message.Should().Contain("Phone or an Email");
        _server.LogEntries.Should().BeEmpty();
    }

    [Fact]
    public async Task A_503_carrying_x_RateLimit_Reset_is_retried_with_the_usual_backoff_since_Reset_is_a_429_wait()
    {
        GivenBrand();
        _server.Given(SlickText(Brand + "/lists/3101").UsingGet()).InScenario("flaky").WillSetStateTo("recovered")
            .RespondWith(Response.Create().WithStatusCode(503).WithHeader("x-RateLimit", "240").WithHeader("x-RateLimit-Remaining", "200").WithHeader("x-RateLimit-Reset", "45"));
        _server.Given(SlickText(Brand + "/lists/3101").UsingGet()).InScenario("flaky").WhenStateIs("recovered")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""{"contact_list_id":3101,"name":"VIP"}"""));
        await using var services = Build();

        var list = await Client(services).GetListAsync("3101");

        list.Name.Should().Be("VIP", "the 503 was retried instead of surfacing as a 45-second wait");
    }

    [Fact]
    public async Task A_created_list_answer_without_an_id_is_an_unexpected_answer_not_list_0()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/lists").UsingPost(), 201, """{"name":"Spring promo"}""");
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).CreateListAsync(new NewContactList("Spring promo")))
            .Should().ThrowAsync<ContactListUnexpectedAnswerException>()).Which;

        error.MayHaveBeenApplied.Should().BeTrue();
        error.ToString().Should().NotContain(Key);
    }

    [Fact]
    public async Task A_429_exposes_SlickTexts_rate_limit_headers()
    {
        GivenBrand();
        _server.Given(SlickText(Brand + "/lists/3101").UsingGet()).RespondWith(Response.Create().WithStatusCode(429)
            .WithHeader("x-RateLimit", "240").WithHeader("x-RateLimit-Remaining", "0").WithHeader("x-RateLimit-Reset", "45")
            .WithBody("""{"message":"Too Many Attempts."}"""));
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).GetListAsync("3101")).Should().ThrowAsync<ContactListRateLimitedException>()).Which;

        error.RetryAfter.Should().Be(TimeSpan.FromSeconds(45), "x-RateLimit-Reset is the wait, longer than MaxRetryAfter, so it surfaces");
        error.RateLimit.Should().Be(new RateLimitInfo(240, 0, TimeSpan.FromSeconds(45)));
        error.ErrorMessages.Should().Equal("Too Many Attempts.");
    }

    [Fact]
    public async Task The_health_probe_reads_the_brand_and_nothing_else()
    {
        GivenBrand();
        await using var services = Build();

        var probed = await ((ContactListClientBase)Client(services)).ProbeAsync(CancellationToken.None);

        probed.Should().BeTrue();
        Paths.Should().Equal("GET /v1/brands");
        _server.LogEntries.Single().RequestMessage!.RawQuery.Should().BeNullOrEmpty();
    }

    /// <summary>SlickText prints its base address as <c>https://dev.slicktext.com/v1</c>: with or without <c>/v1</c>, the path carries it once.</summary>
    [Theory]
    [InlineData("", "")]
    [InlineData("/v1", "")]
    [InlineData("/v1/", "")]
    [InlineData("/gateway", "/gateway")]
    [InlineData("/gateway/v1", "/gateway")]
    public async Task The_base_address_works_with_or_without_the_documented_v1(string basePath, string expectedRoot)
    {
        _server.Given(SlickText(expectedRoot + "/v1/brands").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json").WithBody("""{"brand_id":1234500001,"name":"Acme Coffee"}"""));
        _server.Given(SlickText(expectedRoot + "/v1/brands/1234500001/lists/3101").UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json").WithBody("""{"contact_list_id":3101,"_brand_id":1234500001,"name":"VIP","created":"2025-03-04 09:12:55"}"""));
        await using var services = Build(o => o.BaseAddress = new Uri(_server.Url + basePath));

        await Client(services).GetListAsync("3101");

        _server.LogEntries.Select(e => e.RequestMessage!.Path).Should().Equal(expectedRoot + "/v1/brands", expectedRoot + "/v1/brands/1234500001/lists/3101");
    }

    private void GivenCustomFields(params string[] fields)
        => Answer(SlickText(Brand + "/custom-fields").UsingGet().WithParam("limit", "2").WithParam("offset", "0"), 200,
            $$$"""{"data":[{{{string.Join(",", fields)}}}],"pagingData":{"hasMore":false}}""");

    /// <summary>
    /// GET custom-fields: the exact request (brand-scoped, limit and offset, the key as a bearer token), paged on
    /// hasMore, read once per client, and only when an attribute is not a standard field.
    /// </summary>
    [Fact]
    public async Task Custom_fields_are_read_once_and_only_when_an_attribute_needs_them()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/custom-fields").UsingGet().WithParam("limit", "2").WithParam("offset", "0"), 200,
            """{"data":[{"name":"Tier","internal_name":"tier","data_type":"text","description":null},{"name":"Member since","internal_name":"member_since","data_type":"date"}],"pagingData":{"hasMore":true}}""");
        Answer(SlickText(Brand + "/custom-fields").UsingGet().WithParam("limit", "2").WithParam("offset", "2"), 200,
            """{"data":[{"name":"Store","internal_name":"store","data_type":"text"}],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingGet(), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingPost(), 201, """{"contact_id":5320777,"mobile_number":"+16155550001"}""");
        Answer(SlickText(Brand + "/lists/contacts").UsingPost(), 200, """{"count":1}""");
        await using var services = Build();
        var client = Client(services);

        var plain = await client.AddContactsAsync("3101", [new Contact { Phone = "+16155550001", Attributes = new Dictionary<string, string> { ["City"] = "Nashville" } }]);
        var custom = await client.AddContactsAsync("3101", [new Contact { Phone = "+16155550002", Attributes = new Dictionary<string, string> { ["Tier"] = "gold", ["Store"] = "7", ["Loyalty"] = "x" } }]);
        await client.AddContactsAsync("3101", [new Contact { Phone = "+16155550003", Attributes = new Dictionary<string, string> { ["Tier"] = "silver" } }]);
        var fields = await client.GetFieldsAsync();

        Paths.Count(p => p.StartsWith("GET " + Brand + "/custom-fields", StringComparison.Ordinal)).Should().Be(2, "two pages, read once, and not for a standard field such as city");
        plain.DroppedFields.Should().BeEmpty();
        custom.DroppedFields.Should().Equal(new Dictionary<string, long> { ["Attributes[Loyalty]"] = 1 });
        var creates = _server.LogEntries.Where(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path == Brand + "/contacts").Select(e => JsonNode.Parse(e.RequestMessage!.Body!)!).ToList();
        creates[0]["city"]!.GetValue<string>().Should().Be("Nashville", "a documented field goes at the top level");
        creates[0]["custom_fields"].Should().BeNull();
        creates[1]["custom_fields"]!.ToJsonString().Should().Be("""{"tier":"gold","store":"7"}""", "by internal name, matched to the field's name in any case");
        fields.Fields.Select(f => f.Name).Should().Contain(["tier", "member_since", "store", "city", "zip"]);
    }

    [Fact]
    public async Task With_SendAll_every_other_attribute_is_a_custom_field_and_nothing_is_read()
    {
        GivenBrand();
        Answer(SlickText(Brand + "/contacts").UsingGet(), 200, """{"data":[],"pagingData":{"hasMore":false}}""");
        Answer(SlickText(Brand + "/contacts").UsingPost(), 201, """{"contact_id":5320777,"mobile_number":"+16155550001"}""");
        Answer(SlickText(Brand + "/lists/contacts").UsingPost(), 200, """{"count":1}""");
        await using var services = Build(o => o.CustomFields = SlickTextCustomFields.SendAll);

        var result = await Client(services).AddContactsAsync("3101", [new Contact { Phone = "+16155550001", Attributes = new Dictionary<string, string> { ["Loyalty"] = "x" } }]);

        result.DroppedFields.Should().BeEmpty();
        Paths.Should().NotContain(p => p.Contains("custom-fields", StringComparison.Ordinal));
        var create = _server.LogEntries.Single(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path == Brand + "/contacts");
        JsonNode.Parse(create.RequestMessage!.Body!)!["custom_fields"]!.ToJsonString().Should().Be("""{"Loyalty":"x"}""");
    }
}
