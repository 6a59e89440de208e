using ContactLists.Emulator;

namespace ContactLists.Tests.Sync;

/// <summary>ContactListSync within a provider, across providers, as a dry run, and where the target cannot.</summary>
public sealed class ContactListSyncTests : IAsyncLifetime
{
    private ContactListsEmulator _emulator = null!;
    private ServiceProvider _services = null!;

    private IContactListClient Whippy => _services.GetRequiredKeyedService<IContactListClient>("whippy");

    private IContactListClient SlickText => _services.GetRequiredKeyedService<IContactListClient>("slicktext");

    private IContactListClient Movio => _services.GetRequiredKeyedService<IContactListClient>("movio");

    public async Task InitializeAsync()
    {
        _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            b.AddWhippy("whippy", o => { o.BaseAddress = _emulator.Whippy.BaseAddress; o.ApiKey = _emulator.Whippy.ApiKey; o.EnablePacing = false; });
            b.AddSlickText("slicktext", o => { o.BaseAddress = _emulator.SlickText.BaseAddress; o.ApiKey = _emulator.SlickText.ApiKey; o.EnablePacing = false; });
            b.AddMovio("movio", o =>
            {
                o.BaseAddress = _emulator.Movio.BaseAddress;
                o.TokenEndpoint = _emulator.Movio.TokenEndpoint;
                o.ClientId = _emulator.Movio.ClientId;
                o.ClientSecret = _emulator.Movio.ClientSecret;
            });
        });
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    private static Contact Phone(int i) => new() { Phone = $"+1415555{i:D4}", FirstName = $"P{i}" };

    private static async IAsyncEnumerable<Contact> Source(params Contact[] contacts)
    {
        foreach (var contact in contacts)
        {
            await Task.Yield();
            yield return contact;
        }
    }

    [Fact]
    public async Task A_dry_run_plans_adds_and_removes_by_identity_and_changes_nothing()
    {
        var list = await Whippy.CreateListAsync(new NewContactList("Target"));
        await Whippy.AddContactsAsync(list.Id, [Phone(1), Phone(2), Phone(3)]);
        var before = _emulator.Log.Requests.Count;

        var source = () => Source(Phone(2), new Contact { Phone = "+1 (415) 555-0003" }, Phone(4), Phone(4), new Contact { Email = "no-phone@example.com" });
        var result = await new ContactListSync(Whippy).SyncAsync(list.Id, source(), new SyncOptions { DryRun = true });
        using var plan = await new ContactListSync(Whippy).PlanAsync(list.Id, source());

        result.Added.Should().BeNull();
        result.DryRun.Should().BeTrue();
        result.Plan.Mode.Should().Be(SyncMode.Difference);
        result.Plan.SourceCount.Should().Be(5);
        result.Plan.Unchanged.Should().Be(2, "+1 (415) 555-0003 is +14155550003 once normalized, and its fields are those of the member");
        result.Plan.Duplicates.Should().Be(1);
        plan.ContactsToAdd.Select(c => c.Phone).Should().Equal("+14155550004");
        plan.Removals.Select(c => c.Phone).Should().Equal("+14155550001");
        result.Plan.Invalid.Should().ContainSingle().Which.Index.Should().Be(4);
        _emulator.Log.Requests.Skip(before).Should().OnlyContain(r => r.Method == "GET", "a dry run only reads");
        _emulator.Whippy.State.GetMemberPhones(list.Id).Should().Equal("+14155550001", "+14155550002", "+14155550003");
    }

    [Fact]
    public async Task A_sync_within_a_provider_sends_only_the_differences()
    {
        var list = await Whippy.CreateListAsync(new NewContactList("Target"));
        await Whippy.AddContactsAsync(list.Id, [Phone(1), Phone(2), Phone(3)]);

        var result = await new ContactListSync(Whippy).SyncAsync(list.Id, Source(Phone(2), Phone(3), Phone(4), Phone(5)));

        result.Added!.Read.Should().Be(2);
        result.Removed!.Read.Should().Be(1);
        _emulator.Whippy.State.GetMemberPhones(list.Id).Should().BeEquivalentTo("+14155550002", "+14155550003", "+14155550004", "+14155550005");
    }

    [Fact]
    public async Task A_Whippy_list_is_copied_into_SlickText()
    {
        var source = await Whippy.CreateListAsync(new NewContactList("Source"));
        await Whippy.AddContactsAsync(source.Id, [Phone(1), Phone(2), Phone(3)]);
        var target = await SlickText.CreateListAsync(new NewContactList("Copy"));
        await SlickText.AddContactsAsync(target.Id, [Phone(9)]);

        var result = await new ContactListSync(SlickText).SyncAsync(target.Id, ContactListSync.ReadListAsync(Whippy, source.Id));

        (result.Plan.Adds, result.Plan.Removes).Should().Be((3, 1));
        (await SlickText.GetContactsAsync(target.Id).ToListAsync()).Select(c => c.Phone).Should().BeEquivalentTo("+14155550001", "+14155550002", "+14155550003");
    }

    [Fact]
    public async Task A_target_that_cannot_read_its_members_is_replaced_once_accepted_then_synced_by_difference_from_the_ledger()
    {
        var listId = _emulator.Movio.State.CreateList("Cinema");
        var sync = new ContactListSync(Movio);
        var source = () => Source(new Contact { Email = "a@example.com" }, new Contact { Email = "B@example.com" }, new Contact { Phone = "+14155550001" });

        // A first replace of a list nobody can read could remove anyone: refused, nothing sent, until accepted.
        var refused = await FluentActions.Awaiting(() => sync.SyncAsync(listId, source())).Should().ThrowAsync<ContactListSyncRefusedException>();
        var result = await sync.SyncAsync(listId, source(), new SyncOptions { MaxRemovals = SyncLimit.All });
        var writes = _emulator.Log.Requests.Count(r => r.Method == "PUT");
        var again = await sync.SyncAsync(listId, source());

        refused.Which.Refusal.Guard.Should().Be(SyncGuard.UnknownRemovals);
        result.Plan.Mode.Should().Be(SyncMode.Replace);
        result.Plan.Invalid.Should().ContainSingle("Movio identifies contacts by e-mail");
        result.Added!.AcceptedForProcessing.Should().Be(2);
        _emulator.Movio.State.GetMemberEmails(listId).Should().Equal("a@example.com", "B@example.com");
        again.Plan.Mode.Should().Be(SyncMode.Difference, "the ledger knows what the replace made the list hold");
        (again.Plan.Adds, again.Plan.Updates, again.Plan.Removes, again.Plan.Unchanged).Should().Be((0, 0, 0, 2));
        _emulator.Log.Requests.Count(r => r.Method == "PUT").Should().Be(writes, "an unchanged source sends no write");
    }

    [Fact]
    public async Task A_target_that_can_neither_read_nor_replace_is_refused_before_any_request()
    {
        var addOnly = new AddOnlyClient();

        await FluentActions.Awaiting(() => new ContactListSync(addOnly).SyncAsync("l", Source(Phone(1))))
            .Should().ThrowAsync<ContactListOperationNotSupportedException>().WithMessage("*AddOnly does not support Sync*");
        FluentActions.Invoking(() => ContactListSync.ReadListAsync(Movio, "12345")).Should().Throw<ContactListOperationNotSupportedException>();
    }

    private sealed class AddOnlyClient : IContactListClient
    {
        public string ProviderName => "AddOnly";
        public string ClientName => "add-only";
        public ContactListCapabilities Capabilities => ContactListCapabilities.AddContacts;
        public ContactIdentity Identity => ContactIdentity.Phone;
        public IAsyncEnumerable<ContactList> GetListsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactList> GetListAsync(string listId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactList> CreateListAsync(NewContactList list, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactList> UpdateListAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactListDeletion> DeleteListAsync(string listId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<long> CountContactsAsync(string listId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public IAsyncEnumerable<Contact> GetContactsAsync(string listId, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> AddContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new InvalidOperationException("not to be called");
        public Task<BulkResult> AddContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new InvalidOperationException("not to be called");
        public Task<BulkResult> RemoveContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> RemoveContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> UpdateContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> UpdateContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> ReplaceContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<BulkResult> ReplaceContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactList> MergeListsAsync(string name, IEnumerable<string> listIds, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactListImport> ImportFileAsync(string listName, ContactListFile file, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContactFieldModel> GetFieldsAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
