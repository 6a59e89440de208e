using ContactLists.Emulator;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>
/// Issue 29: a sync never wipes a list by accident. Per provider against the emulator: a cut-short export and an empty
/// one are refused before anything is written (the emulator sees no write) and go through when accepted; a mostly
/// invalid export is refused; with <see cref="SyncRemoval.Added"/> members added by other means stay; with
/// <see cref="SyncRemoval.None"/> nothing leaves.
/// </summary>
public sealed class GuardTests
{
    private const int Size = 100;

    private static async IAsyncEnumerable<Contact> Source(IEnumerable<Contact> contacts)
    {
        foreach (var contact in contacts)
        {
            await Task.Yield();
            yield return contact;
        }
    }

    private static int Writes(ContactListsEmulator emulator) => emulator.Log.Requests.Count(r => r.Method != "GET" && !r.Path.EndsWith("token", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_cut_short_or_empty_export_is_refused_with_no_write_and_goes_through_when_accepted(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Guarded");
        var ledger = new InMemorySyncLedger();
        var sync = new ContactListSync(run.Client, ledger);
        var contacts = Enumerable.Range(0, Size).Select(target.Contact).ToList();
        await sync.SyncAsync(listId, Source(contacts), new SyncOptions { MaxRemovals = SyncLimit.All });
        var writes = Writes(run.Emulator);

        // What a CRM export job that failed half-way leaves: the header and its first 10 rows. Then only the header.
        var truncated = await FluentActions.Awaiting(() => sync.SyncAsync(listId, Source(contacts.Take(10)))).Should().ThrowAsync<ContactListSyncRefusedException>();
        var empty = await FluentActions.Awaiting(() => sync.SyncAsync(listId, Source([]))).Should().ThrowAsync<ContactListSyncRefusedException>();

        Writes(run.Emulator).Should().Be(writes, "a refused plan writes nothing at all");
        truncated.Which.Refusal.Guard.Should().Be(SyncGuard.MaxRemovals);
        truncated.Which.Refusal.Reason.Should().Contain("remove 90 of the list's 100 members (90%)");
        truncated.Which.Refusal.Needed.Should().Be(SyncLimit.Percent(90));
        truncated.Which.Message.Should().Contain("refused before anything was sent").And.Contain("SyncOptions.MaxRemovals = SyncLimit.Parse(\"90%\")");
        empty.Which.Refusal.Guard.Should().Be(SyncGuard.EmptySource);
        target.Members(run.Emulator, listId).Should().HaveCount(Size);
        (await ledger.GetRunAsync(sync.TargetOf(listId)))!.Outcome.Should().Be(SyncRunOutcome.Refused, "the refusal is recorded, for a health check to see");

        // Accepted with the override, exactly as far as it says.
        var accepted = await sync.SyncAsync(listId, Source(contacts.Take(10)), new SyncOptions { MaxRemovals = truncated.Which.Refusal.Needed });
        accepted.RemovedCount.Should().Be(90);
        target.Members(run.Emulator, listId).Should().HaveCount(10);
        var emptied = await sync.SyncAsync(listId, Source([]), new SyncOptions { MaxRemovals = SyncLimit.All });
        emptied.RemovedCount.Should().Be(10);
        target.Members(run.Emulator, listId).Should().BeEmpty();
    }

    [Fact]
    public async Task A_small_list_is_not_blocked_by_a_few_removals_and_a_mostly_invalid_export_is_refused()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Small");
        var sync = new ContactListSync(run.Client);
        var contacts = Enumerable.Range(0, 20).Select(target.Contact).ToList();
        await sync.SyncAsync(listId, Source(contacts));

        // 3 of 20 is 15%, over 10%, but within the floor of 10: a small list is not blocked by a few removals.
        var fewer = await sync.SyncAsync(listId, Source(contacts.Skip(3)));
        // A renamed column: every phone read as garbage.
        var garbled = await FluentActions.Awaiting(() => sync.SyncAsync(listId, Source(contacts.Select(c => c with { Phone = "n/a" }))))
            .Should().ThrowAsync<ContactListSyncRefusedException>();

        fewer.RemovedCount.Should().Be(3);
        garbled.Which.Refusal.Guard.Should().Be(SyncGuard.MaxLeftOut);
        garbled.Which.Refusal.Reason.Should().Contain("20 of the source's 20 rows (100%) would be left out").And.Contain("Phone not valid");
        target.Members(run.Emulator, listId).Should().HaveCount(17);
    }

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task With_removal_added_members_added_by_other_means_stay_and_with_none_nothing_leaves(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Shared list");
        var sync = new ContactListSync(run.Client, new InMemorySyncLedger());
        var ours = Enumerable.Range(0, 40).Select(target.Contact).ToList();
        var theirs = Enumerable.Range(500, 5).Select(target.Contact).ToList();
        await sync.SyncAsync(listId, Source(ours), new SyncOptions { MaxRemovals = SyncLimit.All, Removal = SyncRemoval.Added });
        // Another integration (or a person in the provider's app) adds five members.
        await run.Client.AddContactsAsync(listId, theirs);

        // The source loses two of ours: with Added, those two leave and the other integration's five stay.
        var added = await sync.SyncAsync(listId, Source(ours.Skip(2)), new SyncOptions { Removal = SyncRemoval.Added });
        // With None, nothing leaves, even what a sync added.
        var none = await sync.SyncAsync(listId, Source(ours.Skip(4)), new SyncOptions { Removal = SyncRemoval.None });

        added.RemovedCount.Should().Be(2, added.Plan.ToString());
        if (run.Client.Capabilities.HasFlag(ContactListCapabilities.GetContacts))
        {
            added.Plan.Kept.Should().Be(5, "the list was read: the five members no sync added are counted as kept");
        }

        none.RemovedCount.Should().Be(0);
        none.Plan.Kept.Should().BeGreaterThanOrEqualTo(2);
        target.Members(run.Emulator, listId).Should().BeEquivalentTo(ours.Skip(2).Concat(theirs).Select(target.Identity));
    }
}
