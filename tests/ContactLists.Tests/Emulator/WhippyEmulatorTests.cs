using System.Net;
using ContactLists.Emulator;
using ContactLists.Providers.Whippy;

namespace ContactLists.Tests.Emulator;

/// <summary>
/// The emulator enforces what Whippy enforces, so tests against it mean something; and the SDK's client-side
/// pacing keeps a large operation under Whippy's documented limit without meeting a single 429.
/// </summary>
public sealed class WhippyEmulatorTests
{
    private static ServiceProvider Connect(ContactListsEmulator emulator, bool pacing = false, TimeProvider? timeProvider = null, int listPageSize = 50)
    {
        var services = new ServiceCollection();
        if (timeProvider is not null)
        {
            services.AddSingleton(timeProvider);
        }

        services.AddContactLists(b => b.AddWhippy("emulated", o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = pacing;
            o.ListPageSize = listPageSize;
        }));
        return services.BuildServiceProvider();
    }

    private static IWhippyApi Api(ServiceProvider services) => services.GetRequiredKeyedService<IWhippyApi>("emulated");

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("emulated");

    [Fact]
    public async Task It_refuses_what_Whippy_refuses_with_Whippys_error_body()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = Connect(emulator);
        var api = Api(services);
        var list = (await api.CreateContactListAsync(new WhippyCreateContactListRequest { Name = "  Spring   invitees " })).Data!;

        list.Name.Should().Be("Spring invitees", "Whippy trims names and collapses repeated spaces");

        async Task<ContactListException> Refused(WhippyUpdateContactListContactsRequest request)
            => (await FluentActions.Awaiting(() => api.UpdateContactListContactsAsync(list.Id, request)).Should().ThrowAsync<ContactListRequestRejectedException>()).Which;

        (await Refused(new WhippyUpdateContactListContactsRequest { Action = "add", Contacts = [] }))
            .ErrorMessages.Should().Equal("contacts should have between 1 and 4000 item(s), but has 0");
        (await Refused(new WhippyUpdateContactListContactsRequest { Action = "add", Contacts = Enumerable.Range(0, 4001).Select(i => new WhippyContactInput { Phone = $"+1415555{i % 10000:D4}" }).ToList() }))
            .ErrorMessages.Single().Should().Contain("4001");
        (await Refused(new WhippyUpdateContactListContactsRequest { Action = "add", Contacts = [new WhippyContactInput { Phone = "" }] }))
            .ErrorMessages.Should().Equal("contacts[0].phone can't be blank");
        (await Refused(new WhippyUpdateContactListContactsRequest { Action = "merge", Contacts = [new WhippyContactInput { Phone = "+14155550100" }] }))
            .StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);

        await api.UpdateContactListAsync(list.Id, new WhippyUpdateContactListRequest { State = "archived" });
        (await Refused(new WhippyUpdateContactListContactsRequest { Action = "add", Contacts = [new WhippyContactInput { Phone = "+14155550100" }] }))
            .ErrorMessages.Should().Equal("The contact list must be active");
    }

    [Fact]
    public async Task It_upserts_contacts_even_for_remove_and_deletes_softly()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = Connect(emulator);
        var client = Client(services);
        var list = await client.CreateListAsync(new NewContactList("Soft"));

        await client.AddContactsAsync(list.Id, [new Contact { Phone = "+14155550100", FirstName = "Ada" }]);
        await client.RemoveContactsAsync(list.Id, [new Contact { Phone = "+14155550100" }]);
        var deletion = await client.DeleteListAsync(list.Id);

        emulator.Whippy.State.GetMemberPhones(list.Id).Should().BeEmpty();
        deletion.IsSoftDelete.Should().BeTrue();
        (await client.GetListAsync(list.Id)).Status.Should().Be(ContactListStatus.Deleted);
        await FluentActions.Awaiting(() => client.DeleteListAsync(list.Id)).Should().ThrowAsync<ContactListNotFoundException>();
    }

    [Fact]
    public async Task Members_beyond_the_page_Whippy_embeds_are_refused_rather_than_silently_dropped()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, WhippyEmbeddedContactsPageSize = 3 });
        await using var services = Connect(emulator);
        var client = Client(services);
        var list = await client.CreateListAsync(new NewContactList("Big"));
        await client.AddContactsAsync(list.Id, Enumerable.Range(0, 4).Select(TestHost.Contact));

        (await client.CountContactsAsync(list.Id)).Should().Be(4);
        client.Capabilities.Should().HaveFlag(ContactListCapabilities.GetContactsFirstPage).And.NotHaveFlag(ContactListCapabilities.GetContacts, "Capabilities tell the truth up front");
        // After a request, a ContactListException: never a NotSupportedException once something was sent.
        var error = (await FluentActions.Awaiting(() => client.GetContactsAsync(list.Id).ToListAsync().AsTask())
            .Should().ThrowAsync<ContactListPagingLimitException>()).Which;
        error.Message.Should().Contain("holds 4 contacts but Whippy returned 3");
        (error.Total, error.Readable).Should().Be((4L, 3));
    }

    [Fact]
    public async Task Without_pacing_the_eleventh_write_in_a_minute_meets_Whippys_429()
    {
        var time = new ObservableFakeTimeProvider();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { TimeProvider = time });
        await using var services = Connect(emulator, pacing: false, timeProvider: time);
        var client = Client(services);
        var list = await client.CreateListAsync(new NewContactList("Unpaced"));

        var error = (await FluentActions.Awaiting(() => client.AddContactsAsync(list.Id, Enumerable.Range(0, 12).Select(TestHost.Contact), new BulkOptions { BatchSize = 1 }))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        var limited = error.InnerException.Should().BeOfType<ContactListRateLimitedException>().Which;
        limited.RetryAfter.Should().BeGreaterThan(TimeSpan.FromSeconds(20), "the wait is longer than MaxRetryAfter, so it surfaces");
        limited.ErrorMessages.Should().Equal("Too many requests");
        error.Result.AcceptedForProcessing.Should().Be(9, "the create and nine batches used the ten writes of the minute");
        emulator.Log.Requests.Count(r => r.StatusCode == 429).Should().Be(1);
    }

    [Fact]
    public async Task With_pacing_a_large_add_waits_its_turn_and_never_meets_a_429()
    {
        var time = new ObservableFakeTimeProvider();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { TimeProvider = time });
        await using var services = Connect(emulator, pacing: true, timeProvider: time);
        var client = Client(services);
        var list = await client.CreateListAsync(new NewContactList("Paced"));

        var add = client.AddContactsAsync(list.Id, Enumerable.Range(0, 25).Select(TestHost.Contact), new BulkOptions { BatchSize = 1 });
        while (!add.IsCompleted)
        {
            // Each time the pacer waits for the write window to move, move the clock to the moment it asked for.
            var wait = await Task.WhenAny(time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(61)), add);
            if (wait is Task<TimeSpan> timer && !add.IsCompleted)
            {
                time.Advance(await timer);
            }
        }

        var result = await add;
        result.AcceptedForProcessing.Should().Be(25);
        var writes = emulator.Log.Requests.Where(r => r.Method != "GET").ToList();
        writes.Should().HaveCount(26).And.OnlyContain(r => r.StatusCode < 400, "not a single 429");
        for (var i = 10; i < writes.Count; i++)
        {
            (writes[i].At - writes[i - 10].At).Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(61), "at most 10 writes in any 61-second window");
        }

        (writes[^1].At - writes[0].At).Should().Be(TimeSpan.FromSeconds(122), "26 writes at 10 per 61 s need exactly two waits");
    }

    [Theory]
    [InlineData(200)]
    [InlineData(202)]
    public async Task In_asynchronous_mode_the_list_catches_up_after_the_answer_and_the_SDK_says_so(int status)
    {
        // Whippy answers "Contact list contacts are being updated" and does not say with which status (200 or 202), nor
        // when the change lands. The SDK must count such contacts accepted for processing, never applied, under either status.
        var time = new ObservableFakeTimeProvider();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions
        {
            RateLimits = EmulatorRateLimits.Off,
            TimeProvider = time,
            WhippyMembershipChangeDelay = TimeSpan.FromSeconds(30),
            WhippyMembershipChangeStatus = status,
        });
        await using var services = Connect(emulator, timeProvider: time);
        var client = Client(services);
        var list = await client.CreateListAsync(new NewContactList("Later"));

        var added = await client.AddContactsAsync(list.Id, Enumerable.Range(0, 3).Select(TestHost.Contact));
        var replaced = await client.ReplaceContactsAsync(list.Id, Enumerable.Range(10, 2).Select(TestHost.Contact));

        emulator.Log.Requests.Where(r => r.Method == "PUT").Should().OnlyContain(r => r.StatusCode == status);
        added.AcceptedForProcessing.Should().Be(3);
        added.Accepted.Should().Be(0, "Whippy has not said the contacts are in the list");
        replaced.AcceptedForProcessing.Should().Be(2);
        emulator.Whippy.State.PendingChangeCount.Should().Be(2);
        (await client.CountContactsAsync(list.Id)).Should().Be(0, "nothing has been applied yet");

        time.Advance(TimeSpan.FromSeconds(30));

        emulator.Whippy.State.PendingChangeCount.Should().Be(0);
        emulator.Whippy.State.GetMemberPhones(list.Id).Should().Equal(
            new[] { TestHost.Contact(10).Phone, TestHost.Contact(11).Phone },
            "the queued changes land in the order they were answered: the add, then the overwrite");
    }

    [Fact]
    public async Task Its_429_is_Whippys_error_body_with_the_wait_header_Whippys_client_reads()
    {
        var time = new ObservableFakeTimeProvider();
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { TimeProvider = time });
        using var http = new HttpClient { BaseAddress = new Uri(emulator.Whippy.BaseAddress + "/") };
        http.DefaultRequestHeaders.Add("X-WHIPPY-KEY", emulator.Whippy.ApiKey);

        HttpResponseMessage response;
        var writes = 0;
        do
        {
            response = await http.PostAsync("v1/contacts/lists", new StringContent($$"""{"name":"L{{writes++}}"}""", System.Text.Encoding.UTF8, "application/json"));
        }
        while (response.StatusCode != HttpStatusCode.TooManyRequests && writes < 20);

        writes.Should().Be(11, "ten contact-list writes a minute are allowed");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        (await response.Content.ReadAsStringAsync()).Should().Be("""{"errors":[{"description":"Too many requests"}],"status":429}""");
        var wait = long.Parse(response.Headers.GetValues("X-RateLimit-Remaining-Interval-Milliseconds").Single(), System.Globalization.CultureInfo.InvariantCulture);
        wait.Should().BeInRange(1, 60_000);

        time.Advance(TimeSpan.FromMilliseconds(wait));
        (await http.PostAsync("v1/contacts/lists", new StringContent("""{"name":"After"}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode.Should().Be(HttpStatusCode.Created, "the header says exactly how long to wait");
    }

    [Fact]
    public async Task A_membership_answer_status_other_than_200_or_202_is_refused_at_start()
        => await FluentActions.Awaiting(() => ContactListsEmulator.StartAsync(new EmulatorOptions { WhippyMembershipChangeStatus = 204 }))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*200 or 202*");
}
