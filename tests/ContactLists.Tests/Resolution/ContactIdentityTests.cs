using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Providers.Messengeo;

namespace ContactLists.Tests.Resolution;

/// <summary>
/// The contact identity map never makes the SDK add the wrong person: an id the provider no longer knows is forgotten
/// and the contact resolved again within the same call, two identities pointing to two contacts are refused, and a
/// lookup form the provider may read differently is checked before it is trusted.
/// </summary>
public sealed class ContactIdentityTests
{
    [Fact]
    public async Task SlickText_a_known_contact_deleted_in_the_app_is_forgotten_and_created_again_within_the_same_call()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = SlickText(emulator);
        var client = services.GetRequiredKeyedService<IContactListClient>("texts");
        var list = await client.CreateListAsync(new NewContactList("Members"));
        Contact[] contacts = [new() { Phone = "+16155550101" }, new() { Phone = "+16155550102" }];
        await client.AddContactsAsync(list.Id, contacts);
        var stale = emulator.SlickText.State.GetMemberIds(long.Parse(list.Id, CultureInfo.InvariantCulture))[0];
        emulator.SlickText.State.DeleteContact(stale).Should().BeTrue();

        var result = await client.AddContactsAsync(list.Id, contacts);

        result.Accepted.Should().Be(2);
        result.IsComplete.Should().BeTrue();
        emulator.SlickText.State.GetMemberPhones(long.Parse(list.Id, CultureInfo.InvariantCulture)).Should().BeEquivalentTo("+16155550101", "+16155550102");
        emulator.SlickText.State.GetMemberIds(long.Parse(list.Id, CultureInfo.InvariantCulture)).Should().NotContain(stale);
        emulator.SlickText.State.ContactCount.Should().Be(2, "the deleted contact was created once more, the other not at all");
    }

    [Fact]
    public async Task Messengeo_known_ids_older_than_the_verify_window_are_checked_in_bulk_and_a_deleted_one_is_resolved_again()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var services = Messengeo(emulator, clock);
        var client = services.GetRequiredKeyedService<IContactListClient>("crm");
        var list = await client.CreateListAsync(new NewContactList("Clients"));
        Contact[] contacts = [new() { Phone = "+33600000101" }, new() { Phone = "+33600000102" }];
        await client.AddContactsAsync(list.Id, contacts);
        var deleted = (await client.GetContactsAsync(list.Id).ToListAsync()).Single(c => c.Phone == "+33600000101").Id!;
        emulator.Messengeo.State.DeleteContact(deleted).Should().BeTrue();
        clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        emulator.Log.Clear();

        var result = await client.AddContactsAsync(list.Id, contacts);

        result.Accepted.Should().Be(2);
        emulator.Messengeo.State.GetMemberMobiles(list.Id).Should().BeEquivalentTo("+33600000101", "+33600000102");
        emulator.Messengeo.State.ContactCount.Should().Be(2, "the deleted contact was created once more");
        emulator.Log.Requests.Should().Contain(r => r.Method == "GET" && r.Path.Contains("id=", StringComparison.Ordinal), "the old ids were checked");
    }

    [Fact]
    public async Task A_contact_whose_phone_and_email_are_two_different_provider_contacts_is_refused_not_guessed()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = SlickText(emulator);
        var client = services.GetRequiredKeyedService<IContactListClient>("texts");
        var list = await client.CreateListAsync(new NewContactList("Members"));
        await client.AddContactsAsync(list.Id, [new Contact { Phone = "+16155550201" }, new Contact { Phone = "+16155550202", Email = "ada@example.com" }]);

        var result = await client.AddContactsAsync(list.Id, [new Contact { Phone = "+16155550201", Email = "Ada@Example.com" }]);

        var refused = result.Rejected.Should().ContainSingle().Subject;
        refused.Reason.Should().Contain("two different contacts");
        result.Accepted.Should().Be(0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Messengeo_automatic_lookups_find_existing_contacts_whichever_way_the_filters_read_a_comma(bool commaMeansSeveral)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, MessengeoMultiValueFilters = commaMeansSeveral });
        var existing = Enumerable.Range(0, 40).Select(Customer).ToList();
        await using (var earlier = Messengeo(emulator))
        {
            var client = earlier.GetRequiredKeyedService<IContactListClient>("crm");
            await client.AddContactsAsync((await client.CreateListAsync(new NewContactList("Earlier"))).Id, existing);
        }

        await using var services = Messengeo(emulator);
        var target = services.GetRequiredKeyedService<IContactListClient>("crm");
        var list = await target.CreateListAsync(new NewContactList("Clients"));
        emulator.Log.Clear();
        var input = existing.Concat(Enumerable.Range(40, 40).Select(Customer)).ToList();

        var result = await target.AddContactsAsync(list.Id, input);

        result.Accepted.Should().Be(80);
        emulator.Messengeo.State.ContactCount.Should().Be(80, "the 40 existing contacts were found, not created again");
        emulator.Messengeo.State.GetMemberMobiles(list.Id).Should().BeEquivalentTo(input.Select(c => c.Phone));
        var lookups = emulator.Log.Requests.Count(r => r.Method == "GET" && r.Path.Contains("mobile=", StringComparison.Ordinal));
        lookups.Should().Be(commaMeansSeveral ? 2 : 82, commaMeansSeveral
            ? "two lookups of 50 and 30 values (with the known contact that checks the comma form)"
            : "the comma form is found to be read whole (2 lookups) and every contact is then looked up on its own");
    }

    private static Contact Customer(int i) => new() { Phone = string.Create(CultureInfo.InvariantCulture, $"+336000{i:D5}"), FirstName = "Client" };

    private static ServiceProvider SlickText(ContactListsEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddSlickText("texts", o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = emulator.SlickText.ApiKey;
            o.EnablePacing = false;
        }));
        return services.BuildServiceProvider();
    }

    private static ServiceProvider Messengeo(ContactListsEmulator emulator, TimeProvider? clock = null)
    {
        var services = new ServiceCollection();
        if (clock is not null)
        {
            services.AddSingleton(clock);
        }

        services.AddContactLists(b => b.AddMessengeo("crm", o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = emulator.Messengeo.ClientSecret;
        }));
        return services.BuildServiceProvider();
    }
}
