using System.Text;
using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Every neutral operation a provider's client supports, against every fault the emulator can inject (one fault,
/// on the operation's first request that can get one): the caller gets either a true success or a typed
/// <see cref="ContactListException"/> that names the provider and carries no credential; never a raw Refit,
/// HTTP, JSON or null-reference exception. A bulk operation always accounts for every contact, and a list it
/// reports created exists.
/// </summary>
public sealed class FaultMatrixTests
{
    public static TheoryData<string, EmulatorFault> Cases()
    {
        var cases = new TheoryData<string, EmulatorFault>();
        foreach (var provider in ReliabilityTarget.All.Keys)
        {
            // A reset on accept is met by a new connection, not by "the next request": HostileNetworkTests covers it.
            foreach (var fault in Enum.GetValues<EmulatorFault>().Where(f => f != EmulatorFault.ResetOnAccept))
            {
                cases.Add(provider, fault);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Every_operation_under_a_fault_succeeds_truly_or_fails_typed(string provider, EmulatorFault fault)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Seed = 7, Kinds = [fault], SlowBodyByteInterval = TimeSpan.FromMilliseconds(10) };
        await using var run = await target.StartAsync(clock, faults);
        var (emulator, client) = (run.Emulator, run.Client);
        var listId = await target.CreateListAsync(client, emulator, "Matrix");
        var members = Enumerable.Range(0, 3).Select(target.Contact).ToList();
        await client.AddContactsAsync(listId, members);
        var secret = target.Secret(emulator);
        var capabilities = client.Capabilities;
        var ran = 0;

        foreach (var (capability, operation) in Operations(client, emulator, faults, target, listId, members))
        {
            if (!capabilities.HasFlag(capability))
            {
                continue;
            }

            // The next request that can get a fault gets this one; the rest of the operation runs clean.
            faults.MaxFaults = faults.Injected.Count + 1;
            faults.Rate = 1;
            Exception? thrown = null;
            try
            {
                await operation();
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
            finally
            {
                faults.Rate = 0;
            }

            ran++;
            if (thrown is null)
            {
                continue;
            }

            thrown.Should().BeAssignableTo<ContactListException>($"{capability} under {fault} fails with a typed error, not {thrown.GetType().Name}: {thrown.Message}");
            thrown.Message.Should().Contain(provider, "the error names the provider");
            thrown.ToString().Should().NotContain(secret, "no credential is in an error");
            if (thrown is ContactListBulkException { Result: { } result })
            {
                (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read, "every contact is accounted for");
            }
        }

        ran.Should().BeGreaterThanOrEqualTo(3, "every provider supports at least the membership operations");
        faults.Injected.Should().NotBeEmpty("the fault was met");
    }

    internal static IEnumerable<(ContactListCapabilities, Func<Task>)> Operations(
        IContactListClient client, ContactListsEmulator emulator, EmulatorFaults faults, ReliabilityTarget target, string listId, IReadOnlyList<Contact> members)
    {
        yield return (ContactListCapabilities.ListLists, async () => await client.GetListsAsync().ToListAsync());
        yield return (ContactListCapabilities.GetList, () => client.GetListAsync(listId));
        yield return (ContactListCapabilities.CreateList, async () =>
        {
            var created = await client.CreateListAsync(new NewContactList("Created under a fault"));
            // A list reported created exists (where the provider can be asked).
            if (client.Capabilities.HasFlag(ContactListCapabilities.GetList))
            {
                (await client.GetListAsync(created.Id)).Id.Should().Be(created.Id);
            }
        });
        yield return (ContactListCapabilities.UpdateList, () => client.UpdateListAsync(listId, new ContactListUpdate { Name = "Matrix renamed" }));
        yield return (ContactListCapabilities.CountContacts, () => client.CountContactsAsync(listId));
        yield return (ContactListCapabilities.GetContacts, async () => await client.GetContactsAsync(listId).ToListAsync());
        yield return (ContactListCapabilities.AddContacts, () => BulkAsync(client.AddContactsAsync(listId, Enumerable.Range(10, 3).Select(target.Contact))));
        yield return (ContactListCapabilities.RemoveContacts, () => BulkAsync(client.RemoveContactsAsync(listId, members.Take(1))));
        yield return (ContactListCapabilities.ReplaceContacts, () => BulkAsync(client.ReplaceContactsAsync(listId, members)));
        yield return (ContactListCapabilities.MergeLists, () => client.MergeListsAsync("Merged under a fault", [listId, listId]));
        yield return (ContactListCapabilities.ImportFile, () => client.ImportFileAsync("Imported under a fault", new ContactListFile(
            new MemoryStream(Encoding.UTF8.GetBytes("Civility;First name;Last name;Email;Fixed Telephone;Mobile\nMme;Ana;Leroy;ana@example.fr;;+33600000001\n")), "contacts.csv") { HasHeaderRow = true }));
        yield return (ContactListCapabilities.DeleteList, async () =>
        {
            // The list to delete is made clean; the fault is for the delete.
            faults.Rate = 0;
            var doomed = await target.CreateListAsync(client, emulator, "Doomed");
            faults.Rate = 1;
            await client.DeleteListAsync(doomed);
        });
    }

    /// <summary>A bulk result that returns accounts for every contact it read.</summary>
    private static async Task BulkAsync(Task<BulkResult> run)
    {
        var result = await run;
        (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read, "every contact is accounted for");
    }
}
