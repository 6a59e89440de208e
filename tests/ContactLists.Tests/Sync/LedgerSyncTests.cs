using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>
/// Issue 28: with the sync ledger, every provider is synced by difference. Per provider against the emulator: an
/// unchanged re-run sends no write request at all; 10% renamed, 2% gone and 2% new give exactly those updates, removes
/// and adds, and the provider holds the new values; drift is found and repaired where the list can be read or counted,
/// and by a full pass where it cannot; a contact with a bad e-mail is synced without it.
/// </summary>
public sealed class LedgerSyncTests
{
    private const int Size = 200;

    private static async IAsyncEnumerable<Contact> Source(IEnumerable<Contact> contacts)
    {
        foreach (var contact in contacts)
        {
            await Task.Yield();
            yield return contact;
        }
    }

    /// <summary>Writes to lists and contacts (an OAuth2 token request changes nothing).</summary>
    private static int Writes(ContactListsEmulator emulator) => emulator.Log.Requests.Count(r => r.Method != "GET" && !r.Path.EndsWith("token", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task An_unchanged_rerun_sends_nothing_and_changes_send_exactly_the_updates_removes_and_adds(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Ledger");
        var sync = new ContactListSync(run.Client, new InMemorySyncLedger());
        var contacts = Enumerable.Range(0, Size).Select(target.Contact).ToList();

        // The first sync of a list nobody can read replaces it: accepted on purpose here (the guards have their own tests).
        var first = await sync.SyncAsync(listId, Source(contacts), new SyncOptions { MaxRemovals = SyncLimit.All });
        var writes = Writes(run.Emulator);
        var again = await sync.SyncAsync(listId, Source(contacts));

        first.AddedCount.Should().Be(Size, first.ToString());
        again.Plan.Mode.Should().Be(SyncMode.Difference);
        (again.Plan.Adds, again.Plan.Updates, again.Plan.Removes, again.Plan.Unchanged).Should().Be((0L, 0L, 0L, (long)Size));
        Writes(run.Emulator).Should().Be(writes, "an unchanged re-run sends no write request at all");

        // A later export: one in ten renamed, two in a hundred gone, four new.
        var renamed = Enumerable.Range(0, Size).Where(i => i % 10 == 0).ToHashSet();
        var gone = Enumerable.Range(0, Size).Where(i => i % 50 == 1).ToHashSet();
        var later = contacts.Select((c, i) => renamed.Contains(i) ? target.Renamed(c, "Renamed" + i.ToString(CultureInfo.InvariantCulture)) : c)
            .Where((_, i) => !gone.Contains(i))
            .Concat(Enumerable.Range(1_000, 4).Select(target.Contact))
            .ToList();
        var changed = await sync.SyncAsync(listId, Source(later));

        var updates = run.Client.Capabilities.HasFlag(ContactListCapabilities.UpdateContacts);
        (changed.Plan.Adds, changed.Plan.Removes).Should().Be((4L, 4L), changed.Plan.ToString());
        (changed.Plan.Updates, changed.Plan.UpdatesNotPossible).Should().Be(updates ? (20L, 0L) : (0L, 20L));
        (changed.AddedCount, changed.UpdatedCount, changed.RemovedCount).Should().Be((4, updates ? 20 : 0, 4));
        target.Members(run.Emulator, listId).Should().BeEquivalentTo(later.Select(target.Identity));
        if (updates)
        {
            foreach (var i in renamed)
            {
                target.HeldName(run.Emulator, listId, contacts[i]).Should().Contain("Renamed" + i.ToString(CultureInfo.InvariantCulture), "the provider holds the new name");
            }
        }

        // And the next run, with nothing changed since, sends nothing again.
        writes = Writes(run.Emulator);
        var settled = await sync.SyncAsync(listId, Source(later));
        (settled.Plan.Adds, settled.Plan.Updates, settled.Plan.Removes).Should().Be((0L, 0L, 0L));
        Writes(run.Emulator).Should().Be(writes);
    }

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_member_removed_outside_the_sync_is_found_and_added_again(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Drift");
        var sync = new ContactListSync(run.Client, new InMemorySyncLedger());
        var contacts = Enumerable.Range(0, Size).Select(target.Contact).ToList();
        await sync.SyncAsync(listId, Source(contacts), new SyncOptions { MaxRemovals = SyncLimit.All });

        // Removed in the provider's app, as far as the sync can tell: not through it, so its ledger does not know.
        await run.Client.RemoveContactsAsync(listId, [contacts[7]]);
        target.Members(run.Emulator, listId).Should().NotContain(target.Identity(contacts[7]));
        var caps = run.Client.Capabilities;
        var seen = caps.HasFlag(ContactListCapabilities.GetContacts) || caps.HasFlag(ContactListCapabilities.CountContacts);
        var result = await sync.SyncAsync(listId, Source(contacts), new SyncOptions { Full = !seen });

        // Read (SlickText, Messengeo) or counted (a Whippy list larger than one page): found; elsewhere a full pass repairs it.
        result.Plan.FullPass.Should().Be(!caps.HasFlag(ContactListCapabilities.GetContacts), result.Plan.ToString());
        if (caps.HasFlag(ContactListCapabilities.GetContacts))
        {
            (result.Plan.Adds, result.Plan.Drifted).Should().Be((1L, 1L));
        }

        target.Members(run.Emulator, listId).Should().BeEquivalentTo(contacts.Select(target.Identity), "the drift is repaired");
    }

    [Theory]
    [InlineData("Whippy")]
    [InlineData("SlickText")]
    [InlineData("Messengeo")]
    public async Task A_contact_with_a_bad_email_beside_a_valid_phone_is_synced_without_it(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Typo");
        var contact = target.Contact(3) with { Email = "ada at example.com" };

        var result = await new ContactListSync(run.Client).SyncAsync(listId, Source([target.Contact(1), contact]));

        result.AddedCount.Should().Be(2, "an SMS subscriber is not lost for a typo in a field nobody identifies them by");
        result.LeftOut.Should().BeEmpty();
        result.FieldsLeftOut.Should().Contain("Email (not valid)", 1);
        result.Plan.ToString().Should().Contain("field left out: Email (not valid): 1 contacts (sent without it)");
        target.Members(run.Emulator, listId).Should().Contain(target.Identity(contact));
    }

    [Fact]
    public async Task A_strict_setting_keeps_refusing_a_contact_with_a_bad_email()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Strict");

        var result = await new ContactListSync(run.Client).SyncAsync(listId, Source([target.Contact(1) with { Email = "ada at example.com" }]),
            new SyncOptions { Bulk = new BulkOptions { InvalidFields = InvalidFieldHandling.Reject } });

        result.AddedCount.Should().Be(0);
        result.LeftOutReasons.Should().Equal(new Dictionary<string, long> { ["Email not valid"] = 1 });
    }

    [Fact]
    public async Task A_run_where_the_provider_refused_some_contacts_ran_to_its_end_and_is_not_resumed()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Refusals");
        var ledger = new InMemorySyncLedger();
        var sync = new ContactListSync(run.Client, ledger);
        // SlickText creates a contact only with a mobile number: a new contact given by its e-mail alone is refused.
        Contact[] contacts = [target.Contact(1), new Contact { Email = "only-an-email@example.com" }];

        var first = await sync.SyncAsync(listId, Source(contacts));
        var record = await ledger.GetRunAsync(sync.TargetOf(listId));
        using var again = await sync.PlanAsync(listId, Source(contacts));

        first.AddedCount.Should().Be(1, first.ToString());
        first.LeftOut.Should().ContainSingle().Which.ByProvider.Should().BeTrue();
        record!.Outcome.Should().Be(SyncRunOutcome.Completed, "every stage ran to its end; the refusal is counted, not left to resume");
        record.LeftOut.Should().Be(1);
        record.LastCompletedAt.Should().NotBeNull();
        again.ResumesRunStartedAt.Should().BeNull();
        again.ToString().Should().NotContain("resuming");
    }
}
