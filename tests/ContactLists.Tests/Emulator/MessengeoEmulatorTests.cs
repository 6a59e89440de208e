using System.Text;
using ContactLists.Emulator;

namespace ContactLists.Tests.Emulator;

/// <summary>Messengeo's file import, merge and contact resolution, end to end against the emulator.</summary>
public sealed class MessengeoEmulatorTests : IAsyncLifetime
{
    private readonly ObservableFakeTimeProvider _time = new();
    private ContactListsEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    private IContactListClient Client => _services.GetRequiredKeyedService<IContactListClient>("crm");

    public async Task InitializeAsync()
    {
        _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, TimeProvider = _time });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(_time);
        services.AddContactLists(b => b.AddMessengeo("crm", o =>
        {
            o.BaseAddress = _emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = _emulator.Messengeo.TokenEndpoint;
            o.ClientId = _emulator.Messengeo.ClientId;
            o.ClientSecret = _emulator.Messengeo.ClientSecret;
            o.ImportPollInterval = TimeSpan.FromSeconds(1);
        }));
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Lists_and_members_are_read_to_the_end_when_the_server_caps_pages_below_the_limit_asked_for()
    {
        // The SDK asks for 100 per page; the emulator, like a server with an undocumented maximum, returns 50 at most.
        _emulator.Options.MessengeoMaxLimit.Should().Be(50);
        for (var i = 0; i < 120; i++)
        {
            await Client.CreateListAsync(new NewContactList($"List {i:D3}"));
        }

        var target = (await Client.CreateListAsync(new NewContactList("Members"))).Id;
        var members = Enumerable.Range(0, 130).Select(i => new Contact { Phone = $"+3360000{i:D4}" }).ToList();
        (await Client.AddContactsAsync(target, members)).Accepted.Should().Be(130);

        (await Client.GetListsAsync().CountAsync()).Should().Be(121, "every list is read, not the first 50");
        (await Client.GetContactsAsync(target).CountAsync()).Should().Be(130, "every member is read, not the first 50");
    }

    [Fact]
    public async Task Reads_ask_for_every_property_they_map_since_the_emulator_returns_only_what_is_asked_for()
    {
        var list = await Client.CreateListAsync(new NewContactList("Properties"));
        await Client.AddContactsAsync(list.Id, [new Contact { Phone = "+33600000001", Email = "ana@example.fr", FirstName = "Ana", LastName = "Leroy", ExternalId = "crm-1" }]);

        var read = await Client.GetListAsync(list.Id);
        var member = await Client.GetContactsAsync(list.Id).SingleAsync();

        read.CreatedAt.Should().NotBeNull("dateCreated is outside Messengeo's default set, so it is asked for");
        member.Should().Match<Contact>(c => c.Phone == "+33600000001" && c.Email == "ana@example.fr" && c.FirstName == "Ana" && c.LastName == "Leroy" && c.ExternalId == "crm-1");
    }

    [Fact]
    public async Task A_file_import_is_uploaded_followed_to_completion_and_reports_its_invalid_lines()
    {
        const string csv = """
            Civility;First name;Last name;Email;Fixed Telephone;Mobile
            Mme;Ana;Leroy;ana@example.fr;;+33600000001
            M.;Paul;Martin;;;+33600000002
            Mme;Zoé;Petit;not-an-email;;0600
            M.;Luc;Bernard;luc@example.fr;;
            """;
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));

        var import = await Client.ImportFileAsync("Imported from CRM", new ContactListFile(file, "contacts.csv") { HasHeaderRow = true });

        import.State.Should().Be(ContactListImportState.Running);
        _time.Advance(TimeSpan.FromSeconds(2));
        await import.UpdateStatusAsync();
        import.State.Should().Be(ContactListImportState.Running);
        import.PercentComplete.Should().Be(50);

        var wait = import.WaitForCompletionAsync();
        while (!wait.IsCompleted)
        {
            var poll = await Task.WhenAny(_time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1)), wait);
            if (poll != wait)
            {
                _time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        await wait;
        import.State.Should().Be(ContactListImportState.Completed);
        import.LinesRead.Should().Be(4);
        import.InvalidLines.Should().Be(1);
        import.ErrorReport!.ToString().Should().EndWith($"/imports/{import.ListId}/errors.csv");
        (await Client.CountContactsAsync(import.ListId)).Should().Be(3);
        (await Client.GetContactsAsync(import.ListId).ToListAsync()).Select(c => c.FirstName).Should().BeEquivalentTo("Ana", "Paul", "Luc");
    }

    [Fact]
    public async Task An_import_that_does_not_finish_in_time_times_out_on_the_clients_clock()
    {
        using var file = new MemoryStream(Encoding.UTF8.GetBytes("Mme;Ana;Leroy;ana@example.fr;;+33600000001\n"));
        var import = await Client.ImportFileAsync("Slow", new ContactListFile(file, "contacts.csv") { HasHeaderRow = false });

        var wait = import.WaitForCompletionAsync(TimeSpan.FromMilliseconds(1500));
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));
        await _time.WaitForTimerAsync(d => d == TimeSpan.FromSeconds(1));
        _time.Advance(TimeSpan.FromSeconds(1));

        await FluentActions.Awaiting(() => wait.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<TimeoutException>().WithMessage("*not done after*");
    }

    [Theory]
    [InlineData("contacts.txt", 10, "*.csv, .xls, .xlsx or .zip*")]
    [InlineData("contacts.csv", 20 * 1024 * 1024 + 1, "*at most 20 MB*")]
    [InlineData("contacts.csv", 0, "*is empty*")]
    public async Task Files_of_the_wrong_type_or_size_are_refused_before_upload(string name, int size, string message)
    {
        using var file = new MemoryStream(new byte[size]);
        var before = _emulator.Log.Requests.Count;

        await FluentActions.Awaiting(() => Client.ImportFileAsync("Bad", new ContactListFile(file, name)))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage(message);
        _emulator.Log.Requests.Should().HaveCount(before);
    }

    [Fact]
    public async Task Merge_creates_a_list_holding_the_members_of_every_list()
    {
        var a = await Client.CreateListAsync(new NewContactList("A"));
        var b = await Client.CreateListAsync(new NewContactList("B"));
        await Client.AddContactsAsync(a.Id, [new Contact { Phone = "+33600000001" }, new Contact { Phone = "+33600000002" }]);
        await Client.AddContactsAsync(b.Id, [new Contact { Phone = "+33600000002" }, new Contact { Phone = "+33600000003" }]);

        var merged = await Client.MergeListsAsync("A and B", [a.Id, b.Id]);

        merged.Name.Should().Be("A and B");
        (await Client.GetContactsAsync(merged.Id).ToListAsync()).Select(c => c.Phone).Should().BeEquivalentTo("+33600000001", "+33600000002", "+33600000003");
    }

    [Fact]
    public async Task Merge_with_an_unknown_list_reports_the_ids_Messengeo_rejected()
    {
        var a = await Client.CreateListAsync(new NewContactList("A"));

        var error = (await FluentActions.Awaiting(() => Client.MergeListsAsync("Merged", [a.Id, "999999", "999998"]))
            .Should().ThrowAsync<ContactListRequestRejectedException>()).Which;

        error.StatusCode.Should().Be(System.Net.HttpStatusCode.ExpectationFailed);
        error.ErrorMessages.Should().Contain("Invalid list ids: 999999,999998");
    }

    [Fact]
    public async Task Contacts_are_resolved_whether_they_exist_are_new_or_cannot_be_found()
    {
        var list = await Client.CreateListAsync(new NewContactList("Resolve"));
        await Client.AddContactsAsync(list.Id, [new Contact { Phone = "+33600000001", FirstName = "Existing" }]);
        var existing = (await Client.GetContactsAsync(list.Id).ToListAsync()).Single();
        var other = await Client.CreateListAsync(new NewContactList("Other"));

        var added = await Client.AddContactsAsync(other.Id,
        [
            new Contact { Phone = "+33600000001" },
            new Contact { Email = "new@example.fr", FirstName = "New" },
            new Contact { Id = existing.Id },
        ]);
        var removed = await Client.RemoveContactsAsync(other.Id, [new Contact { Phone = "+33600000001" }, new Contact { Email = "ghost@example.fr" }]);

        added.Accepted.Should().Be(3);
        added.Rejected.Should().BeEmpty();
        removed.Accepted.Should().Be(1);
        removed.Rejected.Should().ContainSingle().Which.Should().Match<RejectedContact>(r => r.Index == 1 && r.ByProvider && r.Reason.Contains("ghost@example.fr"));
        (await Client.GetContactsAsync(other.Id).ToListAsync()).Select(c => c.Email).Should().Equal("new@example.fr");
    }
}
