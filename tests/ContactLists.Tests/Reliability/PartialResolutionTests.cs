using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// SlickText resolves each contact (find, then create) before the membership call. One contact whose creation's
/// answer was lost must not sink its batch: the others are delivered, and that one is reported as not resolved with
/// its own error; sent again, the contact created by the lost request is found, not created twice.
/// </summary>
public sealed class PartialResolutionTests
{
    [Fact]
    public async Task A_contact_whose_creation_answer_was_lost_is_reported_alone_and_found_when_sent_again()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults
        {
            Kinds = [EmulatorFault.AnswerLost],
            MaxFaults = 1,
            Where = t => t.Method == "POST" && t.Path.EndsWith("/contacts", StringComparison.Ordinal) && !t.Path.Contains("/lists/", StringComparison.Ordinal),
        };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Partial");
        var input = Enumerable.Range(0, 5).Select(target.Contact).ToList();
        faults.Rate = 1;

        // With no in-call retries, the contact is reported alone (the next test shows the default resending it).
        var result = await client.AddContactsAsync(listId, input, new BulkOptions { BatchSize = 5, MaxBatchRetries = 0 });

        faults.Injected.Should().ContainSingle().Which.Applied.Should().BeTrue("the contact was created, its answer lost");
        var lost = result.NotSent.Should().ContainSingle().Subject;
        lost.Reason.Should().Be(NotSentReason.NotResolved);
        lost.Error.Should().BeAssignableTo<ContactListException>().Which.MayHaveBeenApplied.Should().BeTrue();
        result.Accepted.Should().Be(4, "the rest of the batch was delivered");
        target.Members(emulator, listId).Should().BeEquivalentTo(input.Where(c => c != lost.Contact).Select(target.Identity));

        var resumed = await client.AddContactsAsync(listId, [lost.Contact]);

        resumed.Accepted.Should().Be(1);
        target.Members(emulator, listId).Should().BeEquivalentTo(input.Select(target.Identity), "every contact is in the list once");
        emulator.SlickText.State.GetMemberIds(long.Parse(listId, System.Globalization.CultureInfo.InvariantCulture)).Should().HaveCount(5);
    }

    [Fact]
    public async Task By_default_a_contact_whose_creation_answer_was_lost_is_sent_again_in_the_same_call_and_found()
    {
        var target = ReliabilityTarget.All["SlickText"];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults
        {
            Kinds = [EmulatorFault.AnswerLost],
            MaxFaults = 1,
            Where = t => t.Method == "POST" && t.Path.EndsWith("/contacts", StringComparison.Ordinal) && !t.Path.Contains("/lists/", StringComparison.Ordinal),
        };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Partial");
        var input = Enumerable.Range(0, 5).Select(target.Contact).ToList();
        faults.Rate = 1;

        var result = await client.AddContactsAsync(listId, input, new BulkOptions { BatchSize = 5 });

        faults.Injected.Should().ContainSingle().Which.Applied.Should().BeTrue();
        result.NotSent.Should().BeEmpty("the contact whose answer was lost was resolved again within the call");
        result.Accepted.Should().Be(5);
        emulator.SlickText.State.GetMemberIds(long.Parse(listId, System.Globalization.CultureInfo.InvariantCulture)).Should().HaveCount(5, "found, not created twice");
        emulator.Log.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/contacts", StringComparison.Ordinal) && !r.Path.Contains("/lists/", StringComparison.Ordinal))
            .Should().Be(5, "one create per contact: the lost one was found by its lookup, not created again");
    }
}
