using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>
/// Issue 29: a sync never re-subscribes anyone. Where a provider keeps opt-outs (SlickText's <c>opt_in_status</c>,
/// Messengeo's <c>smsOptout</c>/<c>emailOptout</c>), the plan reports the source's contacts that are opted out, and a
/// contact opted out stays opted out through a sync that adds it and updates its fields. Whippy's updates never opt
/// anyone in to a channel, whatever the options say for new contacts.
/// </summary>
public sealed class ConsentTests
{
    private static async IAsyncEnumerable<Contact> Source(IEnumerable<Contact> contacts)
    {
        foreach (var contact in contacts)
        {
            await Task.Yield();
            yield return contact;
        }
    }

    [Fact]
    public async Task On_SlickText_an_opted_out_contact_stays_opted_out_through_adds_and_updates_and_the_plan_counts_it()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var state = run.Emulator.SlickText.State;
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Consent");
        var sync = new ContactListSync(run.Client);
        var contacts = Enumerable.Range(0, 10).Select(target.Contact).ToList();
        // One customer is in the brand already, blocked, but not in the list.
        var blocked = state.SeedContact("+16155557777");
        state.SetOptInStatus(blocked, "blocked");
        await sync.SyncAsync(listId, Source(contacts));

        // Two members reply STOP; then the CRM renames everyone, and the blocked customer joins the export.
        var members = state.GetMemberIds(long.Parse(listId, CultureInfo.InvariantCulture));
        state.SetOptInStatus(members[0], "unsubscribed");
        state.SetOptInStatus(members[1], "blocked");
        var renamed = contacts.Select(c => c with { FirstName = "Renamed" }).Append(new Contact { Phone = "+16155557777", FirstName = "Renamed" }).ToList();
        var result = await sync.SyncAsync(listId, Source(renamed));

        result.Plan.OptedOut.Should().Be(2, "the two members read as opted out are reported");
        result.Plan.ToString().Should().Contain("opted out on SlickText: 2 (in the list, they stay opted out");
        (result.UpdatedCount, result.AddedCount).Should().Be((10, 1));
        state.GetContact(members[0])!["opt_in_status"]!.GetValue<string>().Should().Be("unsubscribed");
        state.GetContact(members[1])!["opt_in_status"]!.GetValue<string>().Should().Be("blocked");
        state.GetContact(members[0])!["first_name"]!.GetValue<string>().Should().Be("Renamed", "the fields were updated");
        state.GetContact(blocked)!["opt_in_status"]!.GetValue<string>().Should().Be("blocked", "added to the list, found, never created over nor re-subscribed");
        state.GetMemberIds(long.Parse(listId, CultureInfo.InvariantCulture)).Should().Contain(blocked);
    }

    [Fact]
    public async Task On_Messengeo_an_opted_out_contact_stays_opted_out_through_updates_and_the_plan_counts_it()
    {
        var target = ReliabilityTarget.All["Messengeo"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var state = run.Emulator.Messengeo.State;
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Consent");
        var sync = new ContactListSync(run.Client);
        var contacts = Enumerable.Range(0, 10).Select(i => target.Contact(i) with { Email = $"member{i}@example.fr" }).ToList();
        await sync.SyncAsync(listId, Source(contacts));
        var ids = await run.Client.GetContactsAsync(listId).Select(c => c.Id!).ToListAsync();
        state.SetOptOut(ids[0], smsOptout: "contact", emailOptout: null);
        state.SetOptOut(ids[1], smsOptout: null, emailOptout: "hardbounced");

        var result = await sync.SyncAsync(listId, Source(contacts.Select(c => c with { LastName = "Renamed" })));

        result.Plan.OptedOut.Should().Be(2);
        result.UpdatedCount.Should().Be(10);
        state.GetContact(ids[0]).Should().Contain("smsOptout", "contact").And.Contain("lastName", "Renamed");
        state.GetContact(ids[1]).Should().Contain("emailOptout", "hardbounced").And.Contain("lastName", "Renamed");
    }

    [Fact]
    public async Task On_Whippy_an_update_never_opts_anyone_in_whatever_the_options_say_for_new_contacts()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            b.AddWhippy("plain", o => { o.BaseAddress = emulator.Whippy.BaseAddress; o.ApiKey = emulator.Whippy.ApiKey; o.EnablePacing = false; });
            // An account whose new contacts gave their consent to every channel (the user's explicit option).
            b.AddWhippy("consenting", o => { o.BaseAddress = emulator.Whippy.BaseAddress; o.ApiKey = emulator.Whippy.ApiKey; o.EnablePacing = false; o.OptInToAllChannels = true; });
        });
        await using var provider = services.BuildServiceProvider();
        var plain = provider.GetRequiredKeyedService<IContactListClient>("plain");
        var consenting = provider.GetRequiredKeyedService<IContactListClient>("consenting");
        var list = await plain.CreateListAsync(new NewContactList("Consent"));
        await new ContactListSync(plain).SyncAsync(list.Id, Source([new Contact { Phone = "+14155550101", FirstName = "Ada" }, new Contact { Phone = "+14155550102", FirstName = "Grace" }]));

        // The consenting account's sync finds both members with new names: it updates them, and opts no one in.
        var result = await new ContactListSync(consenting).SyncAsync(list.Id, Source([
            new Contact { Phone = "+14155550101", FirstName = "Ada King" },
            new Contact { Phone = "+14155550102", FirstName = "Grace" },
            new Contact { Phone = "+14155550103", FirstName = "Joan" }]));

        (result.UpdatedCount, result.AddedCount).Should().Be((1, 1));
        emulator.Whippy.State.GetContact("+14155550101")!["name"]!.GetValue<string>().Should().Be("Ada King");
        emulator.Whippy.State.GetContact("+14155550101")!["opted_in_to_all_channels"]!.GetValue<bool>().Should().BeFalse("an update never changes consent");
        emulator.Whippy.State.GetContact("+14155550102")!["opted_in_to_all_channels"]!.GetValue<bool>().Should().BeFalse("an unchanged member is not sent at all");
        emulator.Whippy.State.GetContact("+14155550103")!["opted_in_to_all_channels"]!.GetValue<bool>().Should().BeTrue("a new contact is added with the account's explicit option");
    }
}
