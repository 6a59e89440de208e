using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>Settings a conformance run asks the provider's registration to apply.</summary>
/// <param name="ListPageSize">Lists per page, small so that listing needs several pages.</param>
/// <param name="WrongCredentials">Register credentials the emulator refuses.</param>
/// <param name="PhoneNumberCheck">How strictly phone numbers are checked.</param>
public sealed record ConformanceSettings(int ListPageSize, bool WrongCredentials, PhoneNumberCheck PhoneNumberCheck = PhoneNumberCheck.Possible);

/// <summary>
/// The behaviour every provider client shares, checked against the emulator. A provider derives from this class,
/// says how to register its client and what a valid contact looks like, and gets the whole suite: every operation
/// its <see cref="IContactListClient.Capabilities"/> declare is exercised; every other one must be refused with
/// <see cref="ContactListOperationNotSupportedException"/> before any request is sent.
/// </summary>
public abstract class ContactListConformanceTests : IAsyncLifetime
{
    private const string ClientName = "conformance";
    private readonly List<ServiceProvider> _providers = [];

    protected ContactListsEmulator Emulator { get; private set; } = null!;

    protected IContactListClient Client { get; private set; } = null!;

    /// <summary>Registers the provider's client against the emulator.</summary>
    protected abstract void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings);

    /// <summary>A valid contact for this provider, different for every <paramref name="i"/>.</summary>
    protected abstract Contact NewContact(int i);

    /// <summary>The most members the client can read back from one list (a provider may embed only one page of them).</summary>
    protected virtual int MaxReadableMembers => 1000;

    /// <summary>
    /// The identities of a list's members as the emulator holds them, for providers whose API cannot read members
    /// back; <see langword="null"/> when the client reads them itself.
    /// </summary>
    protected virtual IReadOnlyList<string>? EmulatorMembers(string listId) => null;

    /// <summary>
    /// Whether adding to a list that does not exist fails. Octopush creates the list instead, as documented.
    /// </summary>
    protected virtual bool AddingToAnUnknownListFails => true;

    /// <summary>A well-formed id of a list that does not exist.</summary>
    protected virtual string UnknownListId => "no-such-list";

    /// <summary>A list to work on: created through the client, or seeded in the emulator for providers that cannot create lists.</summary>
    protected virtual async Task<string> CreateTestListAsync(string name) => (await Client.CreateListAsync(new NewContactList(name))).Id;

    public async Task InitializeAsync()
    {
        Emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        Client = BuildClient(new ConformanceSettings(ListPageSize: 2, WrongCredentials: false));
    }

    public async Task DisposeAsync()
    {
        foreach (var provider in _providers)
        {
            await provider.DisposeAsync();
        }

        await Emulator.DisposeAsync();
    }

    private IContactListClient BuildClient(ConformanceSettings settings)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => AddClient(b, ClientName, Emulator, settings));
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        _providers.Add(provider);
        return provider.GetRequiredService<IContactListClientFactory>().GetClient(ClientName);
    }

    private bool Supports(ContactListCapabilities capability) => capability is ContactListCapabilities.GetContacts or ContactListCapabilities.GetContactsFirstPage
        ? Client.Capabilities.HasFlag(ContactListCapabilities.GetContacts) || Client.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage)
        : Client.Capabilities.HasFlag(capability);

    /// <summary>
    /// What tells two contacts apart when comparing members with the input. By default the client's
    /// <see cref="IContactListClient.Identity"/>; providers keyed by their own ids compare by phone instead, since
    /// the input has no ids.
    /// </summary>
    protected virtual string? Identity(Contact contact) => Client.Identity switch
    {
        ContactIdentity.Phone => contact.Phone,
        ContactIdentity.Email => contact.Email,
        _ => contact.Id,
    };

    private Contact[] NewContacts(int count, int first = 0) => Enumerable.Range(first, count).Select(NewContact).ToArray();

    private bool CanReadMembers(string listId) => Supports(ContactListCapabilities.GetContacts) || EmulatorMembers(listId) is not null;

    private async Task<string[]> MemberIdentitiesAsync(string listId)
        => Supports(ContactListCapabilities.GetContacts)
            ? (await Client.GetContactsAsync(listId).ToListAsync()).Select(Identity).OfType<string>().Order().ToArray()
            : EmulatorMembers(listId)!.Order().ToArray();

    private string[] IdentitiesOf(IEnumerable<Contact> contacts) => contacts.Select(Identity).OfType<string>().Order().ToArray();

    [Fact]
    public async Task Every_operation_outside_the_capabilities_is_refused_before_any_request()
    {
        var before = Emulator.Log.Requests.Count;
        var operations = new Dictionary<ContactListCapabilities, Func<Task>>
        {
            [ContactListCapabilities.ListLists] = () => Client.GetListsAsync().ToListAsync().AsTask(),
            [ContactListCapabilities.GetList] = () => Client.GetListAsync("some-list"),
            [ContactListCapabilities.CreateList] = () => Client.CreateListAsync(new NewContactList("name")),
            [ContactListCapabilities.UpdateList] = () => Client.UpdateListAsync("some-list", new ContactListUpdate { Name = "new" }),
            [ContactListCapabilities.DeleteList] = () => Client.DeleteListAsync("some-list"),
            [ContactListCapabilities.CountContacts] = () => Client.CountContactsAsync("some-list"),
            [ContactListCapabilities.GetContacts] = () => Client.GetContactsAsync("some-list").ToListAsync().AsTask(),
            [ContactListCapabilities.AddContacts] = () => Client.AddContactsAsync("some-list", NewContacts(1)),
            [ContactListCapabilities.RemoveContacts] = () => Client.RemoveContactsAsync("some-list", NewContacts(1)),
            [ContactListCapabilities.ReplaceContacts] = () => Client.ReplaceContactsAsync("some-list", NewContacts(1)),
            [ContactListCapabilities.UpdateContacts] = () => Client.UpdateContactsAsync("some-list", NewContacts(1)),
            [ContactListCapabilities.MergeLists] = () => Client.MergeListsAsync("merged", ["a", "b"]),
            [ContactListCapabilities.ImportFile] = () => Client.ImportFileAsync("some-list", new ContactListFile(new MemoryStream([1]), "contacts.csv")),
            // Reading one page of members is the same call; a client with neither flag refuses it as GetContacts.
            [ContactListCapabilities.GetContactsFirstPage] = () => Client.GetContactsAsync("some-list").ToListAsync().AsTask(),
        };
        operations.Keys.Aggregate(ContactListCapabilities.None, (all, c) => all | c).Should().Be(Enum.GetValues<ContactListCapabilities>().Aggregate((a, b) => a | b), "every capability is covered");

        foreach (var (capability, operation) in operations.Where(o => !Supports(o.Key)))
        {
            var error = (await operation.Should().ThrowAsync<ContactListOperationNotSupportedException>()).Which;
            var name = capability == ContactListCapabilities.GetContactsFirstPage ? nameof(ContactListCapabilities.GetContacts) : capability.ToString();
            error.Provider.Should().Be(Client.ProviderName);
            error.Operation.Should().Be(name);
            error.Message.Should().Contain(Client.ProviderName).And.Contain(name);
        }

        Emulator.Log.Requests.Should().HaveCount(before);
    }

    [Fact]
    public async Task A_created_list_can_be_read_renamed_and_deleted()
    {
        if (!Supports(ContactListCapabilities.CreateList))
        {
            return;
        }

        var created = await Client.CreateListAsync(new NewContactList("Conformance  list "));
        created.Id.Should().NotBeNullOrWhiteSpace();

        if (Supports(ContactListCapabilities.GetList))
        {
            var read = await Client.GetListAsync(created.Id);
            read.Id.Should().Be(created.Id);
            read.Name.Should().Be(created.Name);
        }

        if (Supports(ContactListCapabilities.UpdateList))
        {
            var renamed = await Client.UpdateListAsync(created.Id, new ContactListUpdate { Name = "Renamed" });
            renamed.Name.Should().Be("Renamed");
        }

        if (Supports(ContactListCapabilities.DeleteList))
        {
            var deletion = await Client.DeleteListAsync(created.Id);
            deletion.ListId.Should().Be(created.Id);
            if (Supports(ContactListCapabilities.ListLists))
            {
                (await Client.GetListsAsync().ToListAsync()).Select(l => l.Id).Should().NotContain(created.Id);
            }

            if (Supports(ContactListCapabilities.GetList) && deletion.IsSoftDelete)
            {
                (await Client.GetListAsync(created.Id)).Status.Should().Be(ContactListStatus.Deleted);
            }
        }
    }

    [Fact]
    public async Task Listing_pages_through_every_list()
    {
        if (!Supports(ContactListCapabilities.ListLists))
        {
            return;
        }

        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await CreateTestListAsync($"Paged {i}"));
        }

        var lists = await Client.GetListsAsync().ToListAsync();

        lists.Select(l => l.Id).Should().Contain(ids).And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Listing_an_account_without_lists_yields_nothing()
    {
        if (!Supports(ContactListCapabilities.ListLists))
        {
            return;
        }

        (await Client.GetListsAsync().ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task A_new_list_has_no_members()
    {
        if (!Supports(ContactListCapabilities.CreateList))
        {
            return;
        }

        var listId = await CreateTestListAsync("Empty");

        if (Supports(ContactListCapabilities.CountContacts))
        {
            (await Client.CountContactsAsync(listId)).Should().Be(0);
        }

        if (CanReadMembers(listId))
        {
            (await MemberIdentitiesAsync(listId)).Should().BeEmpty();
        }
    }

    [Fact]
    public async Task Added_contacts_are_counted_and_read_back()
    {
        if (!Supports(ContactListCapabilities.AddContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Adds");
        var contacts = NewContacts(Math.Min(7, MaxReadableMembers));

        var result = await Client.AddContactsAsync(listId, contacts, new BulkOptions { BatchSize = 3 });

        result.Read.Should().Be(contacts.Length);
        (result.Accepted + result.AcceptedForProcessing).Should().Be(contacts.Length);
        result.Batches.Should().HaveCount(3);
        result.IsComplete.Should().BeTrue();
        if (Supports(ContactListCapabilities.CountContacts))
        {
            (await Client.CountContactsAsync(listId)).Should().Be(contacts.Length);
        }

        if (CanReadMembers(listId))
        {
            (await MemberIdentitiesAsync(listId)).Should().Equal(IdentitiesOf(contacts));
        }
    }

    [Fact]
    public async Task Adding_a_contact_twice_keeps_one_membership()
    {
        if (!Supports(ContactListCapabilities.AddContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Twice");
        await Client.AddContactsAsync(listId, NewContacts(2));
        await Client.AddContactsAsync(listId, NewContacts(2));

        if (Supports(ContactListCapabilities.CountContacts))
        {
            (await Client.CountContactsAsync(listId)).Should().Be(2);
        }

        if (CanReadMembers(listId))
        {
            (await MemberIdentitiesAsync(listId)).Should().Equal(IdentitiesOf(NewContacts(2)));
        }
    }

    [Fact]
    public async Task Removed_contacts_leave_the_list_and_the_others_stay()
    {
        if (!Supports(ContactListCapabilities.AddContacts) || !Supports(ContactListCapabilities.RemoveContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Removes");
        var contacts = NewContacts(5);
        await Client.AddContactsAsync(listId, contacts);

        var result = await Client.RemoveContactsAsync(listId, contacts[..2]);

        (result.Accepted + result.AcceptedForProcessing).Should().Be(2);
        if (CanReadMembers(listId))
        {
            (await MemberIdentitiesAsync(listId)).Should().Equal(IdentitiesOf(contacts[2..]));
        }
        else if (Supports(ContactListCapabilities.CountContacts))
        {
            (await Client.CountContactsAsync(listId)).Should().Be(3);
        }
    }

    [Theory]
    [InlineData(100)]
    [InlineData(2)]
    public async Task Replace_leaves_exactly_the_new_contacts(int batchSize)
    {
        if (!Supports(ContactListCapabilities.ReplaceContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Replaces");
        if (Supports(ContactListCapabilities.AddContacts))
        {
            await Client.AddContactsAsync(listId, NewContacts(4));
        }

        var replacement = NewContacts(5, first: 2);
        var result = await Client.ReplaceContactsAsync(listId, replacement, new BulkOptions { BatchSize = batchSize });

        if (result.Batches.Count > 1)
        {
            result.IsAtomic.Should().BeFalse();
        }

        if (CanReadMembers(listId))
        {
            (await MemberIdentitiesAsync(listId)).Should().Equal(IdentitiesOf(replacement));
        }
        else if (Supports(ContactListCapabilities.CountContacts))
        {
            (await Client.CountContactsAsync(listId)).Should().Be(replacement.Length);
        }
    }

    [Fact]
    public async Task A_contact_without_the_identifying_field_is_refused_before_any_request()
    {
        if (!Supports(ContactListCapabilities.AddContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Invalid");
        var before = Emulator.Log.Requests.Count;

        var error = (await FluentActions.Awaiting(() => Client.AddContactsAsync(listId, [NewContact(0), new Contact { FirstName = "Nobody" }]))
            .Should().ThrowAsync<ContactListValidationException>()).Which;

        error.ContactIndex.Should().Be(1);
        error.Field.Should().Be(Client.Identity switch { ContactIdentity.Phone => "Phone", ContactIdentity.Email => "Email", _ => "Id" });
        Emulator.Log.Requests.Should().HaveCount(before);
    }

    [Theory]
    [InlineData(PhoneNumberCheck.Possible)]
    [InlineData(PhoneNumberCheck.Valid)]
    public async Task Phone_numbers_are_checked_as_strictly_as_the_setting_says(PhoneNumberCheck check)
    {
        if (!Supports(ContactListCapabilities.AddContacts) || NewContact(0).Phone is null)
        {
            return;
        }

        var client = check == PhoneNumberCheck.Possible ? Client : BuildClient(new ConformanceSettings(ListPageSize: 2, WrongCredentials: false, check));
        var listId = await CreateTestListAsync("Phones " + check);
        // +44 7700 900123 is in Ofcom's range for drama (possible, never assigned); +1 415 555 is too short for +1; +999 is no country code.
        Contact[] contacts = [NewContact(0) with { Phone = "+44 7700 900123" }, NewContact(1) with { Phone = "+1415555" }, NewContact(2) with { Phone = "+999 1234 5678" }];

        var result = await client.AddContactsAsync(listId, contacts, new BulkOptions { InvalidContacts = InvalidContactHandling.Reject });

        result.Rejected.Select(r => (r.Index, r.Field)).Should().Equal(
            check == PhoneNumberCheck.Possible ? [(1L, "Phone"), (2L, "Phone")] : [(0L, "Phone"), (1L, "Phone"), (2L, "Phone")]);
        result.Rejected.Select(r => r.Reason).Should().Contain(r => r.Contains("length")).And.Contain(r => r.Contains("country code in use"));
        (result.Accepted + result.AcceptedForProcessing).Should().Be(check == PhoneNumberCheck.Possible ? 1 : 0);
    }

    [Fact]
    public async Task Rejected_and_accepted_contacts_add_up_to_what_was_read()
    {
        if (!Supports(ContactListCapabilities.AddContacts))
        {
            return;
        }

        var listId = await CreateTestListAsync("Accounting");
        Contact[] contacts = [NewContact(0), new Contact(), NewContact(1), new Contact { FirstName = "x" }, NewContact(2)];

        var result = await Client.AddContactsAsync(listId, contacts, new BulkOptions { InvalidContacts = InvalidContactHandling.Reject, BatchSize = 2 });

        result.Read.Should().Be(5);
        result.Rejected.Select(r => r.Index).Should().Equal(1L, 3L);
        (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read);
    }

    [Fact]
    public async Task An_unknown_list_is_reported_as_not_found()
    {
        var missing = UnknownListId;
        if (Supports(ContactListCapabilities.GetList))
        {
            var error = (await FluentActions.Awaiting(() => Client.GetListAsync(missing)).Should().ThrowAsync<ContactListNotFoundException>()).Which;
            error.Provider.Should().Be(Client.ProviderName);
            error.StatusCode.Should().Be(System.Net.HttpStatusCode.NotFound);
        }

        if (Supports(ContactListCapabilities.AddContacts) && AddingToAnUnknownListFails)
        {
            var bulk = (await FluentActions.Awaiting(() => Client.AddContactsAsync(missing, NewContacts(1))).Should().ThrowAsync<ContactListBulkException>()).Which;
            bulk.InnerException.Should().BeOfType<ContactListNotFoundException>();
            bulk.Result.NotSent.Should().ContainSingle();
        }
    }

    [Fact]
    public async Task Wrong_credentials_are_reported_as_an_authentication_failure_without_the_secret()
    {
        var client = BuildClient(new ConformanceSettings(ListPageSize: 2, WrongCredentials: true));
        Func<Task> call = Supports(ContactListCapabilities.ListLists)
            ? () => client.GetListsAsync().ToListAsync().AsTask()
            : () => client.AddContactsAsync("some-list", NewContacts(1));

        var error = (await call.Should().ThrowAsync<Exception>()).Which;
        var authentication = error as ContactListAuthenticationException ?? error.InnerException as ContactListAuthenticationException;

        authentication.Should().NotBeNull();
        authentication!.Provider.Should().Be(Client.ProviderName);
        authentication.Message.Should().Contain("credentials").And.NotContain("wrong-secret");
    }
}
