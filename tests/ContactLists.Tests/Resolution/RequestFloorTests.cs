using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Providers.Messengeo;
using ContactLists.Sharing;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Resolution;

/// <summary>
/// SlickText and Messengeo take their own contact ids in membership calls. What a bulk call costs them, in requests per
/// input contact, for 2,000 contacts into an account that already holds 10,000 others; each scenario checks the list
/// afterwards and that no contact was created twice. A "new process" is a new service container (a new identity map).
/// </summary>
public sealed class RequestFloorTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Seeded = 10_000;
    private const int Input = 2_000;

    /// <summary>The goals per scenario: add new, add again (same process), add again (new process), remove 1,000, replace with 10% new.</summary>
    public static TheoryData<string, double, double, double, double, double> Goals => new()
    {
        // SlickText documents no bulk create: one create per new contact is the floor.
        { "SlickText", 1.10, 0.02, 0.10, 0.10, 0.15 },
        { "Messengeo", 0.20, 0.02, 0.10, 0.10, 0.15 },
    };

    [Theory]
    [MemberData(nameof(Goals))]
    public async Task Bulk_calls_cost_requests_at_the_cost_of_the_data_not_one_lookup_per_contact(string provider, double addNew, double addAgain, double addAgainNewProcess, double remove, double replace)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, SeedContacts = Seeded });
        var contacts = Enumerable.Range(0, Input).Select(Customer).ToList();
        string listId;
        await using (var first = Process(provider, emulator))
        {
            listId = (await Client(first).CreateListAsync(new NewContactList("Customers"))).Id;

            (await Measure(emulator, "add 2,000 new", c => c.AddContactsAsync(listId, contacts), first, Input)).Should().BeLessThanOrEqualTo(addNew);
            Members(emulator, provider, listId).Should().BeEquivalentTo(contacts.Select(c => c.Phone));
            ContactCount(emulator, provider).Should().Be(Seeded + Input, "each new contact was created once");

            (await Measure(emulator, "add the same again, same process", c => c.AddContactsAsync(listId, contacts), first, Input)).Should().BeLessThanOrEqualTo(addAgain);
        }

        await using (var second = Process(provider, emulator))
        {
            (await Measure(emulator, "add again, new process", c => c.AddContactsAsync(listId, contacts), second, Input)).Should().BeLessThanOrEqualTo(addAgainNewProcess);
            ContactCount(emulator, provider).Should().Be(Seeded + Input);
        }

        var leaving = contacts.Take(Input / 2).ToList();
        await using (var third = Process(provider, emulator))
        {
            (await Measure(emulator, "remove 1,000, new process", c => c.RemoveContactsAsync(listId, leaving), third, leaving.Count)).Should().BeLessThanOrEqualTo(remove);
            Members(emulator, provider, listId).Should().BeEquivalentTo(contacts.Skip(Input / 2).Select(c => c.Phone));
        }

        // 1,800 of the first 2,000 (half of them members now), and 200 new.
        var replacement = contacts.Skip(Input / 10).Concat(Enumerable.Range(Input, Input / 10).Select(Customer)).ToList();
        await using (var fourth = Process(provider, emulator))
        {
            (await Measure(emulator, "replace with 2,000 (10% new), new process", c => c.ReplaceContactsAsync(listId, replacement), fourth, Input)).Should().BeLessThanOrEqualTo(replace);
            Members(emulator, provider, listId).Should().BeEquivalentTo(replacement.Select(c => c.Phone));
            ContactCount(emulator, provider).Should().Be(Seeded + Input + (Input / 10), "no contact was created twice");
        }
    }

    private async Task<double> Measure(ContactListsEmulator emulator, string scenario, Func<IContactListClient, Task<BulkResult>> call, ServiceProvider services, int contacts)
    {
        emulator.Log.Clear();
        var result = await call(Client(services));
        result.IsComplete.Should().BeTrue(result.ToString());
        result.Rejected.Should().BeEmpty();
        var requests = emulator.Log.Requests.Count;
        var perContact = (double)requests / contacts;
        var byEndpoint = emulator.Log.Requests.GroupBy(r => r.Method + " " + string.Concat(r.Path.Split('?')[0].Select(ch => char.IsDigit(ch) ? '#' : ch)))
            .Select(g => $"{g.Key} ×{g.Count()}");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{scenario}: {requests} requests, {perContact:0.000} per contact ({string.Join(", ", byEndpoint)})"));
        return perContact;
    }

    private static Contact Customer(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+1615556{i:D4}"),
        Email = string.Create(CultureInfo.InvariantCulture, $"customer{i}@example.com"),
        FirstName = "Customer",
    };

    /// <summary>A new process: a container of its own (so an in-process identity map of its own), one client of the provider.</summary>
    private static ServiceProvider Process(string provider, ContactListsEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => ReliabilityTarget.All[provider].Register(b, emulator, "target"));
        return services.BuildServiceProvider();
    }

    private static IContactListClient Client(ServiceProvider services) => services.GetRequiredKeyedService<IContactListClient>("target");

    private static IEnumerable<string?> Members(ContactListsEmulator emulator, string provider, string listId) => ReliabilityTarget.All[provider].Members(emulator, listId);

    private static int? ContactCount(ContactListsEmulator emulator, string provider) => ReliabilityTarget.All[provider].AccountContacts(emulator);
}
