using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>Issue 8, points 7 and 8: one identity is resolved and sent once; a replace's first step is answered before any other is sent.</summary>
public sealed class DuplicatesAndReplaceTests
{
    [Theory]
    [InlineData("SlickText")]
    [InlineData("Messengeo")]
    public async Task The_same_new_contact_twice_is_created_once_and_the_second_reported_as_its_duplicate(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        await using var run = await target.StartAsync(clock);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Duplicates");
        // Two batches at once, the duplicate in the second: without de-duplication both would resolve (and create) it.
        var input = new[] { target.Contact(1), target.Contact(2), target.Contact(1) with { FirstName = "Again" }, target.Contact(3) };

        var result = await client.AddContactsAsync(listId, input, new BulkOptions { BatchSize = 2, MaxConcurrency = 2 });

        result.Accepted.Should().Be(3);
        result.Rejected.Should().ContainSingle().Which.DuplicateOf.Should().Be(0);
        target.Members(emulator, listId).Should().OnlyHaveUniqueItems().And.HaveCount(3);
    }

    [Fact]
    public async Task A_replace_under_concurrency_has_its_overwrite_answered_before_any_add_is_sent()
    {
        var target = ReliabilityTarget.All["Whippy"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        await using var run = await target.StartAsync(clock);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Replace");
        await client.AddContactsAsync(listId, Enumerable.Range(100, 5).Select(target.Contact));
        emulator.Log.Clear();
        var input = Enumerable.Range(0, 40).Select(target.Contact).ToList();

        var result = await client.ReplaceContactsAsync(listId, input, new BulkOptions { BatchSize = 10, MaxConcurrency = 4 });

        result.Batches.Should().HaveCount(4);
        result.Batches[0].Action.Should().Be("overwrite");
        result.Batches.Skip(1).Should().OnlyContain(b => b.Action == "add");
        result.IsAtomic.Should().BeFalse("Whippy applies later and the replace took several requests");
        result.NonAtomicReason.Should().NotBeNullOrEmpty();
        // Every member is the input: the overwrite did not wipe a later add.
        target.Members(emulator, listId).Should().BeEquivalentTo(input.Select(target.Identity));
    }
}
