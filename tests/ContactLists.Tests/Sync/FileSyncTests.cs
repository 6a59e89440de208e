using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>
/// Issue 20: the job users run. A messy export (<see cref="MessyExport"/>) synced into every provider against the
/// emulator, then synced again unchanged, then again with 10% of its customers changed. Each time the list holds
/// exactly the file's distinct valid identities, the plan's figures are what the sync then did, no contact is refused
/// for an extra column, and national numbers are read with the default region.
/// </summary>
public sealed class FileSyncTests : IDisposable
{
    private const int Customers = 1_200;

    private readonly string _folder = Directory.CreateTempSubdirectory("contactlists-sync-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    // The guards are tested on their own (GuardTests): here the first replace of a list nobody can read is accepted.
    private static readonly SyncOptions Options = new() { Bulk = new BulkOptions { DefaultRegion = "GB", ContinueOnError = true }, MaxRemovals = SyncLimit.All };

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_messy_export_synced_again_and_changed_leaves_exactly_its_valid_identities(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Customers");
        var sync = new ContactListSync(run.Client);
        var first = MessyExport.Write(Path.Combine(_folder, "first.csv"), Customers);

        // First sync: a new, empty list.
        using var plan = await sync.PlanAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "first.csv")), Options);
        var result = await sync.SyncAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "first.csv")), Options);

        var expected = SyncExpectations.Expected(provider, first);
        SyncExpectations.Members(target, run, listId).Should().BeEquivalentTo(expected, "the list holds exactly the file's distinct valid identities");
        plan.SourceCount.Should().Be(Customers + first.Duplicates, "blank lines are not contacts");
        plan.Duplicates.Should().Be(first.Duplicates);
        result.Plan.Adds.Should().Be(plan.Adds, "planning twice gives the same plan");
        result.AddedCount.Should().Be(expected.Count, "the sync added what the list now holds");
        (result.AddedCount + (result.Added?.Rejected.Count ?? 0)).Should().Be(plan.Adds, "every planned add was added, or refused by the provider with its reason");
        result.LeftOut.Should().NotContain(l => l.Category.Contains("Attributes", StringComparison.Ordinal), "no contact is refused for an extra column");
        plan.FieldsLeftOut.Keys.Should().NotContain("Attributes[First Name]", "First Name is read into the contact, not an attribute");
        result.LeftOut.Should().NotContain(l => l.Reason.Contains("07911", StringComparison.Ordinal) && l.Category.StartsWith("Phone", StringComparison.Ordinal),
            "national UK numbers are read with the default region");

        // Second sync of the same file: nothing to do, on every provider (by the list where it can be read, by the ledger elsewhere).
        var writesBefore = run.Emulator.Log.Requests.Count(r => r.Method != "GET");
        var again = await sync.SyncAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "first.csv")), Options);
        var refusedBefore = result.Added?.Rejected.Count ?? 0;
        again.Plan.Mode.Should().Be(SyncMode.Difference);
        // Only what the provider refused last time is tried again (SlickText cannot create an e-mail-only contact).
        (again.Plan.Adds, again.Plan.Updates, again.Plan.Removes).Should().Be((refusedBefore, 0L, 0L), "nothing changed");
        (again.AddedCount, again.UpdatedCount, again.RemovedCount).Should().Be((0, 0, 0));
        if (refusedBefore == 0)
        {
            (again.Added, again.Updated, again.Removed).Should().Be((null, null, null), "nothing is sent");
            run.Emulator.Log.Requests.Count(r => r.Method != "GET").Should().Be(writesBefore, "an unchanged re-run sends no write request at all");
        }

        again.LeftOutReasons.Keys.Should().NotContain(reason => reason.StartsWith("not sent", StringComparison.Ordinal), again.ToString());
        (again.Added?.Rejected.Count ?? 0).Should().Be(refusedBefore);
        SyncExpectations.Members(target, run, listId).Should().BeEquivalentTo(expected);

        // A later export: one customer in ten replaced by someone else.
        var changed = Enumerable.Range(0, Customers).Where(i => i % 10 == 3).ToHashSet();
        var second = MessyExport.Write(Path.Combine(_folder, "second.csv"), Customers, changed: changed);
        var changedResult = await sync.SyncAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "second.csv")), Options);

        var newExpected = SyncExpectations.Expected(provider, second);
        SyncExpectations.Members(target, run, listId).Should().BeEquivalentTo(newExpected, "the list follows the new export");
        changedResult.Plan.Mode.Should().Be(SyncMode.Difference);
        var joined = newExpected.Except(expected).Count();
        var left = expected.Except(newExpected).Count();
        (changedResult.AddedCount, changedResult.RemovedCount).Should().Be((joined, left), "exactly the changed customers are added and removed");
        changedResult.Plan.Unchanged.Should().Be(newExpected.Intersect(expected).Count());
    }

    /// <summary>A Whippy list that fits in one page is synced by difference from its members; once it outgrows the page, by difference from the ledger (and the plan says so before anything is sent).</summary>
    [Fact]
    public async Task Whippy_syncs_a_small_list_by_difference_and_a_large_one_by_replacing_it()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var run = await target.StartAsync(TimeProvider.System);
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Small");
        var sync = new ContactListSync(run.Client);
        var small = MessyExport.Write(Path.Combine(_folder, "small.csv"), 30);
        await sync.SyncAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "small.csv")), Options);

        var again = await sync.PlanAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "small.csv")), Options);
        MessyExport.Write(Path.Combine(_folder, "large.csv"), 200);
        var writesBefore = run.Emulator.Log.Requests.Count(r => r.Method != "GET");
        var large = await sync.PlanAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "large.csv")), Options);
        await sync.SyncAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "large.csv")), Options);
        var grown = await sync.PlanAsync(listId, ContactCsv.ReadAsync(Path.Combine(_folder, "large.csv")), Options);

        again.Mode.Should().Be(SyncMode.Difference);
        (again.Adds, again.Removes, again.Unchanged).Should().Be((0L, 0L, SyncExpectations.Expected("Whippy", small).Count));
        large.Mode.Should().Be(SyncMode.Difference, "the list still fits in one page when planned");
        run.Emulator.Log.Requests.Count(r => r.Method != "GET").Should().BeGreaterThan(writesBefore);
        grown.Mode.Should().Be(SyncMode.Difference, "the list holds more than one page of members, and the ledger knows them");
        grown.ModeReason.Should().Contain("gives only the first 50").And.Contain("the ledger");
        (grown.Adds, grown.Updates, grown.Removes).Should().Be((0L, 0L, 0L));
        grown.TargetCount.Should().BeGreaterThan(50);
    }
}
