using System.Globalization;
using ContactLists.Emulator;
using Xunit.Abstractions;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// The headline promise, for every provider: with one request in five spoiled (server errors, 408, 429s, resets before
/// and after applying, lost answers, HTML, empty, malformed, truncated and slow bodies), a bulk add resumed from its
/// <see cref="BulkResult"/> until done leaves every input contact in the list exactly once; no contact is ever
/// reported accepted that the list does not hold; and every round accounts for every contact exactly once.
/// Providers with batch writes run 20,000 contacts. SlickText and Messengeo look up (and create) each contact on its
/// own before the membership call, about three requests per contact, so by default they run 2,500 (7,500 requests
/// or more); set <c>CONTACTLISTS_RELIABILITY_CONTACTS</c> to run every provider at another size (docs/reliability.md
/// gives the figures for 20,000).
/// </summary>
public sealed class BulkUnderFaultsTests(ITestOutputHelper output)
{
    private const int MaxRounds = 30;

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_bulk_add_resumed_from_its_results_delivers_every_contact_exactly_once(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        var contacts = target.ContactsUnderFaults;
        var size = Environment.GetEnvironmentVariable("CONTACTLISTS_RELIABILITY_CONTACTS") is { Length: > 0 } set ? int.Parse(set, CultureInfo.InvariantCulture) : contacts;
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var seed = Environment.GetEnvironmentVariable("CONTACTLISTS_RELIABILITY_SEED") is { Length: > 0 } given ? int.Parse(given, CultureInfo.InvariantCulture) : 20261201;
        var faults = new EmulatorFaults { Seed = seed, SlowBodyByteInterval = TimeSpan.FromMilliseconds(10) };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Under faults");
        var input = Enumerable.Range(0, size).Select(target.Contact).ToList();
        faults.Rate = 0.2;

        var pending = input;
        var rounds = 0;
        while (pending.Count > 0 && rounds++ < MaxRounds)
        {
            BulkResult result;
            try
            {
                result = await client.AddContactsAsync(listId, pending, new BulkOptions { BatchSize = 200, MaxConcurrency = 4, ContinueOnError = true });
            }
            catch (ContactListBulkException ex)
            {
                result = ex.Result;
            }

            result.Read.Should().Be(pending.Count);
            (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read, "every contact is in exactly one bucket");
            result.Rejected.Should().BeEmpty("every input contact is valid and distinct");
            result.NotSent.Select(n => n.Index).Concat(result.Rejected.Select(r => r.Index)).Should().OnlyHaveUniqueItems("a contact is in one bucket only");
            // A batch's status agrees with its contacts (issue 31): a batch holding a contact not sent is not "Accepted".
            var batches = result.Batches.ToDictionary(b => b.Index);
            result.NotSent.Where(n => n.BatchIndex is { } index && batches[index].Status is BatchStatus.Accepted or BatchStatus.AcceptedForProcessing)
                .Should().BeEmpty("a batch reported accepted holds no contact reported not sent");

            var members = target.Members(emulator, listId).ToHashSet(StringComparer.Ordinal);
            var undelivered = result.NotSent.Select(n => n.Index).ToHashSet();
            var reportedDelivered = pending.Where((_, i) => !undelivered.Contains(i)).ToList();
            reportedDelivered.Where(c => !members.Contains(target.Identity(c))).Should().BeEmpty("a contact reported accepted is in the list");
            pending = result.NotSent.Select(n => n.Contact).ToList();
            output.WriteLine($"round {rounds}: {result.Accepted + result.AcceptedForProcessing} delivered, {pending.Count} not sent ({string.Join(", ", result.NotSent.GroupBy(n => n.Reason).Select(g => $"{g.Key} {g.Count()}"))})");
        }

        pending.Should().BeEmpty($"every contact is delivered within {MaxRounds} resumed rounds");
        var final = target.Members(emulator, listId);
        final.Should().OnlyHaveUniqueItems("each contact is in the list once");
        // Compared in order (BeEquivalentTo matches 20,000 unordered items pairwise, which takes minutes).
        final.Order(StringComparer.Ordinal).Should().Equal(input.Select(target.Identity).Order(StringComparer.Ordinal), "the list holds exactly the input");
        if (target.AccountContacts(emulator) is { } created)
        {
            created.Should().Be(size, "no contact is created twice, even when a create's answer was lost");
        }

        faults.Injected.Count.Should().BeGreaterThan(10, "the run met faults");
        output.WriteLine($"{provider}: {size} contacts, {rounds} rounds, {faults.Injected.Count} faults: " +
            string.Join(", ", faults.Injected.GroupBy(f => f.Fault).Select(g => $"{g.Key} {g.Count()}")));
    }
}
