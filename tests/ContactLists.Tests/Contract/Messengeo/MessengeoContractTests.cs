using System.Text;
using ContactLists.Providers.Messengeo;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using ContactLists.Adapters;

namespace ContactLists.Tests.Contract.Messengeo;

/// <summary>
/// Each Messengeo endpoint: GET/DELETE parameters in the query, POST/PUT bodies form-urlencoded with <c>metaData</c>
/// JSON, <c>action</c> in the query, the documented envelopes and error bodies, and the token request.
/// </summary>
public sealed class MessengeoContractTests : IDisposable
{
    private const string ClientId = "dg-client";
    private const string Secret = "dg-secret-never-logged";
    private const string Token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.contacts";

    private readonly WireMockServer _server = WireMockServer.Start();

    public MessengeoContractTests()
    {
        _server.Given(Request.Create().WithPath("/token").UsingPost()
                .WithHeader("Content-Type", new WildcardMatcher("application/x-www-form-urlencoded*"))
                .WithBody(new ExactMatcher(Form(("grant_type", "client_credentials"), ("client_id", ClientId), ("client_secret", Secret)))))
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody($$"""{"access_token":"{{Token}}","expires_in":"3600","token_type":"bearer","scope":"contacts"}"""));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    private ServiceProvider Build(Action<MessengeoOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddMessengeo("crm", o =>
        {
            o.BaseAddress = new Uri(_server.Url!);
            o.TokenEndpoint = new Uri(_server.Url + "/token");
            o.ClientId = ClientId;
            o.ClientSecret = Secret;
            o.PageSize = 2;
            configure?.Invoke(o);
        }).ConfigureResilience(r => r.Retry.Delay = TimeSpan.FromMilliseconds(1)));
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("crm");

    private static string Form(params (string Key, string Value)[] fields)
    {
        using var content = new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        return content.ReadAsStringAsync().GetAwaiter().GetResult();
    }

    private static IRequestBuilder Api(string path) => Request.Create().WithPath(path)
        .WithHeader("Authorization", "Bearer " + Token, MatchBehaviour.AcceptOnMatch)
        .WithHeader("Accept", new WildcardMatcher("*application/json*"));

    private static IRequestBuilder WithForm(IRequestBuilder request, params (string Key, string Value)[] fields)
        => request.WithHeader("Content-Type", new WildcardMatcher("application/x-www-form-urlencoded*")).WithBody(new ExactMatcher(Form(fields)));

    private void Answer(IRequestBuilder request, int status, string body)
        => _server.Given(request).RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task Read_lists_pages_with_limit_offset_sort_and_the_stats_properties()
    {
        Answer(Api("/rest/lists").UsingGet().WithParam("properties", "DEFAULT,stats,dateCreated").WithParam("limit", "2").WithParam("offset", "0").WithParam("sort", "id ASC").WithParam("total", "true"), 200,
            """{"size":2,"list":[{"id":"4411","name":"Clients 2024","description":"Imported from CRM","stats":{"subscribers":1520,"sms":1488,"email":"1302"},"dateCreated":"2024-05-02 10:15:00"},{"id":4412,"name":"B"}]}""");
        Answer(Api("/rest/lists").UsingGet().WithParam("offset", "2"), 200, """{"size":0,"list":[]}""");
        await using var services = Build();

        var lists = await Client(services).GetListsAsync().ToListAsync();

        lists.Select(l => l.Id).Should().Equal("4411", "4412");
        lists[0].Should().BeEquivalentTo(new ContactList
        {
            Id = "4411",
            Name = "Clients 2024",
            Description = "Imported from CRM",
            ContactCount = 1520,
            CreatedAt = new DateTimeOffset(2024, 5, 2, 10, 15, 0, TimeSpan.Zero),
            Status = ContactListStatus.Active,
        });
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"3\"")]
    public async Task A_short_page_is_not_the_end_while_total_says_more(string total)
    {
        // The maximum limit is not documented: asked for 2, the server gave 1, and total says 3 (as a number or, like
        // Messengeo's other counts, as a string).
        Answer(Api("/rest/lists").UsingGet().WithParam("offset", "0").WithParam("total", "true"), 200, $$"""{"size":1,"total":{{total}},"list":[{"id":"1","name":"A"}]}""");
        Answer(Api("/rest/lists").UsingGet().WithParam("offset", "1").WithParam("total", "true"), 200, $$"""{"size":"1","total":{{total}},"list":[{"id":2,"name":"B"}]}""");
        Answer(Api("/rest/lists").UsingGet().WithParam("offset", "2").WithParam("total", "true"), 200, $$"""{"size":1,"total":{{total}},"list":[{"id":"3","name":"C"}]}""");
        await using var services = Build();

        var lists = await Client(services).GetListsAsync().ToListAsync();

        lists.Select(l => l.Id).Should().Equal("1", "2", "3");
        _server.LogEntries.Where(e => e.RequestMessage!.Path.EndsWith("/rest/lists", StringComparison.Ordinal)).Should().HaveCount(3, "paging stops once total is reached");
    }

    [Fact]
    public async Task Members_are_read_with_every_mapped_property_named_and_paged_until_total()
    {
        // The neutral fields, then every documented custom property (free fields, identity and address), so that they come back.
        const string properties = "id,mobile,email,firstName,lastName,reference,listIds,smsOptout,emailOptout,field01,field02,field03,field04,field05,field06,field07,field08,field09,field10,field11,field12,field13,field14,field15,civility,address1,address2,zipcode,city,state,country,birthDate,company,phone,fax";
        Answer(Api("/rest/contacts").UsingGet().WithParam("listIds", "4411").WithParam("properties", properties).WithParam("limit", "2").WithParam("offset", "0").WithParam("total", "true"), 200,
            """{"size":2,"total":3,"list":[{"id":"700123","mobile":"+33600000001","email":"ana@example.fr","firstName":"Ana","lastName":"Leroy","reference":"crm-1","listIds":["4411"],"field01":"gold","city":"Lyon"},{"id":"700124","mobile":"+33600000002","listIds":["4411"]}]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("listIds", "4411").WithParam("properties", properties).WithParam("limit", "2").WithParam("offset", "2").WithParam("total", "true"), 200,
            """{"size":1,"total":3,"list":[{"id":"700125","email":"luc@example.fr","listIds":["4411"]}]}""");
        await using var services = Build();

        var members = await Client(services).GetContactsAsync("4411").ToListAsync();

        members.Select(m => m.Id).Should().Equal("700123", "700124", "700125");
        members[0].Should().Match<Contact>(c => c.Phone == "+33600000001" && c.Email == "ana@example.fr" && c.FirstName == "Ana" && c.LastName == "Leroy" && c.ExternalId == "crm-1");
        members[0].Attributes.Should().Equal(new Dictionary<string, string> { ["field01"] = "gold", ["city"] = "Lyon" });
        _server.LogEntries.Count(e => e.RequestMessage!.Path == "/rest/contacts").Should().Be(2, "paging stops once total is reached");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    public async Task Create_posts_a_form_and_reads_the_new_id_from_the_envelope(int status)
    {
        Answer(WithForm(Api("/rest/lists").UsingPost(), ("name", "Spring promo"), ("description", "Fair sign-ups")), status,
            """{"size":1,"total":1,"list":[{"id":"4413","name":"Spring promo","description":"Fair sign-ups"}]}""");
        await using var services = Build();

        (await Client(services).CreateListAsync(new NewContactList("Spring promo", "Fair sign-ups"))).Id.Should().Be("4413");
    }

    [Fact]
    public async Task Update_puts_the_id_filter_in_the_query_and_metaData_json_in_the_form()
    {
        Answer(WithForm(Api("/rest/lists").UsingPut().WithParam("id", "4413"), ("metaData", """{"name":"Spring promo 2025"}""")), 200, """{"count":1}""");
        Answer(Api("/rest/lists").UsingGet().WithParam("id", "4413"), 200, """{"size":1,"list":[{"id":"4413","name":"Spring promo 2025"}]}""");
        await using var services = Build();

        (await Client(services).UpdateListAsync("4413", new ContactListUpdate { Name = "Spring promo 2025" })).Name.Should().Be("Spring promo 2025");
    }

    [Fact]
    public async Task Delete_sends_the_id_filter_in_the_query_and_a_zero_count_is_not_found()
    {
        Answer(Api("/rest/lists").UsingDelete().WithParam("id", "4413"), 200, """{"count":"1"}""");
        Answer(Api("/rest/lists").UsingDelete().WithParam("id", "4499"), 200, """{"count":0}""");
        await using var services = Build();

        (await Client(services).DeleteListAsync("4413")).IsSoftDelete.Should().BeFalse();
        await FluentActions.Awaiting(() => Client(services).DeleteListAsync("4499")).Should().ThrowAsync<ContactListNotFoundException>();
    }

    [Fact]
    public async Task A_PUT_or_DELETE_without_an_id_filter_is_never_sent_even_through_the_typed_api()
    {
        await using var services = Build();
        var api = services.GetRequiredKeyedService<IMessengeoApi>("crm");

        await FluentActions.Awaiting(() => api.DeleteListsAsync(null!)).Should().ThrowAsync<ContactListValidationException>().WithMessage("*without an id filter*");
        await FluentActions.Awaiting(() => api.UpdateListsAsync(null!, new Dictionary<string, string> { ["metaData"] = "{}" })).Should().ThrowAsync<ContactListValidationException>();
        _server.LogEntries.Where(e => e.RequestMessage!.Path.StartsWith("/rest", StringComparison.Ordinal)).Should().BeEmpty();
    }

    [Fact]
    public async Task Merge_posts_action_merge_with_listIds_and_name()
    {
        Answer(WithForm(Api("/rest/lists").UsingPost().WithParam("action", "merge"), ("listIds", "4411,4412"), ("name", "Merged list")), 201,
            """{"size":1,"list":[{"id":"4414","name":"Merged list"}]}""");
        await using var services = Build();

        (await Client(services).MergeListsAsync("Merged list", ["4411", "4412"])).Id.Should().Be("4414");
    }

    [Fact]
    public async Task Import_uploads_a_multipart_form_with_the_file_and_reads_the_import_fields()
    {
        _server.Given(Api("/rest/lists").UsingPost().WithParam("action", "import").WithHeader("Content-Type", new WildcardMatcher("multipart/form-data*")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"size":1,"list":[{"id":"4415","name":"CRM","importStatus":"on"}]}"""));
        Answer(Api("/rest/lists").UsingGet().WithParam("id", "4415").WithParam("properties", "DEFAULT,importStatus,importLines,importInvalid,importErrors"), 200,
            """{"size":1,"list":[{"id":"4415","importStatus":"ok","importLines":"120","importInvalid":"3","importErrors":"https://contacts.messengeo.net/errors/4415.csv"}]}""");
        await using var services = Build();
        using var file = new MemoryStream(Encoding.UTF8.GetBytes("civility;firstName\nMme;Ana\n"));

        var import = await Client(services).ImportFileAsync("CRM", new ContactListFile(file, "crm.csv"));
        await import.UpdateStatusAsync();

        var upload = _server.LogEntries.Single(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path == "/rest/lists").RequestMessage!;
        upload.Body.Should().Contain("name=name").And.Contain("CRM").And.Contain("name=ignoreFirstLine").And.Contain("name=contactFile").And.Contain("filename=crm.csv").And.Contain("Mme;Ana");
        import.ListId.Should().Be("4415");
        import.State.Should().Be(ContactListImportState.Completed);
        import.LinesRead.Should().Be(120);
        import.InvalidLines.Should().Be(3);
        import.ErrorReport.Should().Be(new Uri("https://contacts.messengeo.net/errors/4415.csv"));
    }

    [Theory]
    [InlineData(MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.TrueFalse, true, "true")]
    [InlineData(MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.TrueFalse, false, "false")]
    [InlineData(MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.OneZero, true, "1")]
    [InlineData(MessengeoImportParameterPlacement.Query, MessengeoImportFlagEncoding.TrueFalse, true, "true")]
    [InlineData(MessengeoImportParameterPlacement.Query, MessengeoImportFlagEncoding.OneZero, false, "0")]
    public async Task Import_puts_name_and_ignoreFirstLine_where_and_how_the_settings_say(
        MessengeoImportParameterPlacement placement, MessengeoImportFlagEncoding encoding, bool headerRow, string flag)
    {
        _server.Given(Api("/rest/lists").UsingPost().WithParam("action", "import").WithHeader("Content-Type", new WildcardMatcher("multipart/form-data*")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"size":1,"list":[{"id":"4415","name":"CRM 2025","importStatus":"on"}]}"""));
        await using var services = Build(o => (o.ImportParameterPlacement, o.ImportFirstLineFlag) = (placement, encoding));
        using var file = new MemoryStream(Encoding.UTF8.GetBytes("Mme;Ana\n"));

        await Client(services).ImportFileAsync("CRM 2025", new ContactListFile(file, "crm.csv") { HasHeaderRow = headerRow });

        var upload = _server.LogEntries.Single(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path == "/rest/lists").RequestMessage!;
        var parts = System.Text.RegularExpressions.Regex.Matches(upload.Body!, "name=\"?(\\w+)\"?[^\\n]*\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([^\\r\\n]*)")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        if (placement == MessengeoImportParameterPlacement.Body)
        {
            parts.Should().Contain("name", "CRM 2025").And.Contain("ignoreFirstLine", flag);
            upload.Query!.Keys.Should().Equal("action");
        }
        else
        {
            parts.Keys.Should().Equal("contactFile");
            upload.Query!["name"].Should().Equal("CRM 2025");
            upload.Query!["ignoreFirstLine"].Should().Equal(flag);
            upload.Query!["action"].Should().Equal("import");
        }
    }

    [Fact]
    public async Task Membership_posts_contactadd_and_contactremove_with_contactIds_as_one_string_in_metaData()
    {
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001"), 200, """{"size":1,"list":[{"id":"700123","mobile":"+33600000001"}]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000002"), 200, """{"size":0,"list":[]}""");
        GivenContactsAreCreatedAndAdded();
        await using var services = Build(o => o.ContactLookup = MessengeoContactLookup.OnePerRequest);

        var added = await Client(services).AddContactsAsync("4411",
            [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002", FirstName = "Ana", Attributes = new Dictionary<string, string> { ["field01"] = "vip" } }]);
        var removed = await Client(services).RemoveContactsAsync("4411", [new Contact { Id = "700123" }]);

        added.Accepted.Should().Be(2);
        added.Batches.Single().ProviderCounts!["count"].Should().Be(2);
        removed.Accepted.Should().Be(1);
        Lookups.Should().BeEquivalentTo("mobile=%2B33600000001&properties=" + MemberProperties + "&limit=1", "mobile=%2B33600000002&properties=" + MemberProperties + "&limit=1");
    }

    [Fact]
    public async Task Updating_puts_each_contacts_properties_in_metaData_by_its_id_never_an_opt_out()
    {
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001"), 200, """{"size":1,"list":[{"id":"700123","mobile":"+33600000001"}]}""");
        Answer(WithForm(Api("/rest/contacts").UsingPut().WithParam("id", "700123"),
            ("metaData", """{"mobile":"+33600000001","email":"ana@example.fr","firstName":"Ana","reference":"crm-9","field01":"vip"}""")), 200, """{"count":1}""");
        Answer(WithForm(Api("/rest/contacts").UsingPut().WithParam("id", "700999"), ("metaData", """{"lastName":"Bar"}""")), 200, """{"count":0}""");
        await using var services = Build(o => o.ContactLookup = MessengeoContactLookup.OnePerRequest);

        var result = await Client(services).UpdateContactsAsync("4411",
        [
            new Contact { Phone = "+33600000001", Email = "ana@example.fr", FirstName = "Ana", ExternalId = "crm-9", Attributes = new Dictionary<string, string> { ["field01"] = "vip" } },
            new Contact { Id = "700999", LastName = "Bar" },
        ]);

        result.Accepted.Should().Be(1);
        result.Rejected.Should().ContainSingle().Which.Reason.Should().Be("Messengeo no longer has contact 700999.");
        _server.LogEntries.Should().NotContain(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path != "/token", "an update never creates a contact nor changes a list");
    }

    [Fact]
    public async Task Lookups_many_per_request_send_one_comma_separated_filter_and_read_the_rest_of_a_short_page()
    {
        // The server answers fewer than asked (no largest limit is documented): the total says more follow, so they are read.
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001,+33600000002").WithParam("offset", "1"), 200, """{"size":0,"total":1,"list":[]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001,+33600000002").WithParam("limit", "2").WithParam("total", "true"), 200,
            """{"size":1,"total":1,"list":[{"id":"700123","mobile":"+33600000001"}]}""");
        GivenContactsAreCreatedAndAdded();
        await using var services = Build(o => o.ContactLookup = MessengeoContactLookup.ManyPerRequest);

        var added = await Client(services).AddContactsAsync("4411",
            [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002", FirstName = "Ana", Attributes = new Dictionary<string, string> { ["field01"] = "vip" } }]);

        added.Accepted.Should().Be(2);
        Lookups.Should().Equal("mobile=%2B33600000001%2C%2B33600000002&properties=" + MemberProperties + "&limit=2&total=true");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Auto_lookups_check_the_comma_form_with_a_known_contact_and_fall_back_to_one_per_request_when_it_is_read_whole(bool commaMeansSeveral)
    {
        // A contact the account is known to hold (the first of its contacts) goes with the values asked for.
        Answer(Api("/rest/contacts").UsingGet().WithParam("limit", "20").WithParam("offset", "0"), 200,
            """{"size":1,"list":[{"id":"700999","mobile":"+33699999999","email":"known@example.com"}]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001,+33600000002,+33699999999"), 200, commaMeansSeveral
            ? """{"size":2,"total":2,"list":[{"id":"700123","mobile":"+33600000001"},{"id":"700999","mobile":"+33699999999"}]}"""
            : """{"size":0,"total":0,"list":[]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000001").WithParam("limit", "1"), 200, """{"size":1,"list":[{"id":"700123","mobile":"+33600000001"}]}""");
        Answer(Api("/rest/contacts").UsingGet().WithParam("mobile", "+33600000002").WithParam("limit", "1"), 200, """{"size":0,"list":[]}""");
        GivenContactsAreCreatedAndAdded();
        await using var services = Build();

        var added = await Client(services).AddContactsAsync("4411",
            [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002", FirstName = "Ana", Attributes = new Dictionary<string, string> { ["field01"] = "vip" } }]);

        added.Accepted.Should().Be(2);
        _server.LogEntries.Count(e => e.RequestMessage!.Method == "POST" && e.RequestMessage.Path == "/rest/contacts").Should().Be(1, "only the contact no lookup found is created");
        Lookups[1].Should().Be("mobile=%2B33600000001%2C%2B33600000002%2C%2B33699999999&properties=" + MemberProperties + "&limit=3&total=true");
        // Read whole, the comma form proves nothing: each contact is then looked up on its own (in any order).
        Lookups.Skip(2).Should().BeEquivalentTo(commaMeansSeveral ? [] :
            ["mobile=%2B33600000001&properties=" + MemberProperties + "&limit=1", "mobile=%2B33600000002&properties=" + MemberProperties + "&limit=1"]);
    }

    private const string MemberProperties = "id%2Cmobile%2Cemail%2CfirstName%2ClastName%2Creference%2ClistIds%2CsmsOptout%2CemailOptout%2Cfield01%2Cfield02%2Cfield03%2Cfield04%2Cfield05%2Cfield06%2Cfield07%2Cfield08%2Cfield09%2Cfield10%2Cfield11%2Cfield12%2Cfield13%2Cfield14%2Cfield15%2Ccivility%2Caddress1%2Caddress2%2Czipcode%2Ccity%2Cstate%2Ccountry%2CbirthDate%2Ccompany%2Cphone%2Cfax";

    /// <summary>The query of each contact read, in order.</summary>
    private List<string> Lookups => [.. _server.LogEntries.Where(e => e.RequestMessage!.Method == "GET" && e.RequestMessage.Path == "/rest/contacts").Select(e => e.RequestMessage!.RawQuery!.TrimStart('?'))];

    private void GivenContactsAreCreatedAndAdded()
    {
        Answer(WithForm(Api("/rest/contacts").UsingPost(), ("contacts[0][mobile]", "+33600000002"), ("contacts[0][firstName]", "Ana"), ("contacts[0][field01]", "vip")), 201,
            """{"size":1,"list":[{"id":"700124","mobile":"+33600000002"}]}""");
        Answer(WithForm(Api("/rest/lists").UsingPost().WithParam("action", "contactadd"), ("id", "4411"), ("metaData", """{"contactIds":"700123,700124"}""")), 200, """{"count":2}""");
        Answer(WithForm(Api("/rest/lists").UsingPost().WithParam("action", "contactremove"), ("id", "4411"), ("metaData", """{"contactIds":"700123"}""")), 200, """{"count":1}""");
    }

    [Fact]
    public async Task Created_contacts_are_matched_to_the_input_by_identity_not_by_position()
    {
        Answer(Api("/rest/contacts").UsingGet(), 200, """{"size":0,"list":[]}""");
        // The answer lists the created contacts in another order than sent, and leaves one out.
        Answer(Api("/rest/contacts").UsingPost(), 201, """
            {"size":2,"list":[{"id":"700125","mobile":"+33600000003"},{"id":"700123","mobile":"+33600000001"}]}
            """);
        Answer(WithForm(Api("/rest/lists").UsingPost().WithParam("action", "contactadd"), ("id", "4411"), ("metaData", """{"contactIds":"700123,700125"}""")), 200, """{"count":2}""");
        await using var services = Build();

        // The answer's reading is under test, not the in-call resend of what it left out (BulkEngine's own tests).
        var added = await Client(services).AddContactsAsync("4411",
            [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002" }, new Contact { Phone = "+33600000003" }],
            new BulkOptions { MaxBatchRetries = 0 });

        added.Accepted.Should().Be(2, "the two contacts the answer names are added with their own ids");
        var unnamed = added.NotSent.Should().ContainSingle().Subject;
        unnamed.Index.Should().Be(1);
        unnamed.Reason.Should().Be(NotSentReason.NotResolved);
        unnamed.Error.Should().BeOfType<ContactListUnexpectedAnswerException>().Which.MayHaveBeenApplied.Should().BeTrue();
    }

    [Fact]
    public async Task A_contact_refused_with_417_is_rejected_alone_with_Messengeos_reason_and_the_others_are_added()
    {
        Answer(Api("/rest/contacts").UsingGet(), 200, """{"size":0,"list":[]}""");
        // Messengeo refuses a whole create for one invalid contact; the SDK splits the call until that contact is alone.
        _server.Given(Api("/rest/contacts").UsingPost().WithBody(new WildcardMatcher("*not-an-email*"))).AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(417).WithHeader("Content-Type", "application/json")
                .WithBody("""{"status":417,"message":"Invalid email: not-an-email@x","messages":[{"details":"Invalid email: not-an-email@x"},{"details":"email must be a valid address"}]}"""));
        _server.Given(Api("/rest/contacts").UsingPost().WithBody(new WildcardMatcher("*33600000001*"))).AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"size":1,"list":[{"id":"700123","mobile":"+33600000001"}]}"""));
        _server.Given(Api("/rest/contacts").UsingPost().WithBody(new WildcardMatcher("*33600000003*"))).AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"size":1,"list":[{"id":"700125","mobile":"+33600000003"}]}"""));
        Answer(WithForm(Api("/rest/lists").UsingPost().WithParam("action", "contactadd"), ("id", "4411"), ("metaData", """{"contactIds":"700123,700125"}""")), 200, """{"count":2}""");
        await using var services = Build();

        var added = await Client(services).AddContactsAsync("4411",
            [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002", Email = "not-an-email@x.io" }, new Contact { Phone = "+33600000003" }]);

        added.Accepted.Should().Be(2);
        var refused = added.Rejected.Should().ContainSingle().Subject;
        refused.Index.Should().Be(1);
        refused.ByProvider.Should().BeTrue();
        refused.Reason.Should().Contain("Invalid email: not-an-email@x").And.Contain("email must be a valid address");
    }

    [Fact]
    public async Task Invalid_client_credentials_surface_as_an_authentication_failure_without_the_secret()
    {
        _server.Reset();
        _server.Given(Request.Create().WithPath("/token").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithHeader("Content-Type", "application/json")
                .WithBody("""{"error":"invalid_client","error_description":"The client credentials are invalid"}"""));
        await using var services = Build();

        var error = (await FluentActions.Awaiting(() => Client(services).GetListAsync("4411")).Should().ThrowAsync<ContactListAuthenticationException>()).Which;

        error.ErrorMessages.Should().Equal("invalid_client", "The client credentials are invalid");
        error.Message.Should().NotContain(Secret);
    }

    [Fact]
    public async Task The_health_probe_reads_one_list_id_and_nothing_else()
    {
        Answer(Api("/rest/lists").UsingGet().WithParam("properties", "id").WithParam("limit", "1"), 200, """{"size":1,"list":[{"id":"4411"}]}""");
        await using var services = Build();

        var probed = await ((ContactListClientBase)Client(services)).ProbeAsync(CancellationToken.None);

        probed.Should().BeTrue();
        var reads = _server.LogEntries.Select(e => e.RequestMessage!).Where(r => r.Path != "/token").ToList();
        reads.Should().ContainSingle();
        (reads[0].Method, reads[0].Path, reads[0].RawQuery).Should().Be(("GET", "/rest/lists", "?properties=id&limit=1"));
    }

    /// <summary>Messengeo's endpoints are printed as <c>https://contacts.messengeo.net/rest/…</c>: a base address with or without <c>/rest</c> works.</summary>
    [Theory]
    [InlineData("", "/rest/lists")]
    [InlineData("/rest", "/rest/lists")]
    [InlineData("/rest/", "/rest/lists")]
    [InlineData("/gateway", "/gateway/rest/lists")]
    [InlineData("/gateway/rest", "/gateway/rest/lists")]
    public async Task The_base_address_works_with_or_without_the_documented_rest(string basePath, string expectedPath)
    {
        _server.Given(Request.Create().UsingGet().WithPath(expectedPath)).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/json").WithBody("""{"size":0,"total":0,"list":[]}"""));
        await using var services = Build(o => o.BaseAddress = new Uri(_server.Url + basePath));

        await Client(services).GetListsAsync().ToListAsync();

        _server.LogEntries.Select(e => e.RequestMessage!.Path).Where(p => p != "/token").Should().Equal(expectedPath);
    }
}
