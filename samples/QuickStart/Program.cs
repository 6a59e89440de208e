// QuickStart: the life of a contact list through the provider-neutral client.
//
// With no credentials configured it starts the local emulator in-process and runs against it. To run it against
// your real Whippy account, set the API key (never commit it):
//     export ContactLists__Whippy__main__ApiKey=...        (PowerShell: $env:ContactLists__Whippy__main__ApiKey = "...")
using ContactLists;
using ContactLists.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var useEmulator = string.IsNullOrWhiteSpace(configuration["ContactLists:Whippy:main:ApiKey"]);

await using var emulator = useEmulator ? await ContactListsEmulator.StartAsync() : null;

var services = new ServiceCollection();
services.AddContactLists(configuration, contactLists => contactLists.AddWhippy("main", options =>
{
    if (emulator is not null)
    {
        options.BaseAddress = emulator.Whippy.BaseAddress;
        options.ApiKey = emulator.Whippy.ApiKey;
    }
}));
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });

var client = provider.GetRequiredService<IContactListClientFactory>().GetClient("main");
Console.WriteLine($"Provider: {client.ProviderName} ({(emulator is null ? "live API" : $"emulator at {emulator.BaseAddress}")})");
Console.WriteLine($"Capabilities: {client.Capabilities}");
Console.WriteLine($"Contacts are identified by: {client.Identity}");

// 1. Create a list.
var list = await client.CreateListAsync(new NewContactList($"QuickStart {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss}"));
Console.WriteLine($"1. Created list '{list.Name}' (id {list.Id}, {list.Status})");

// 2. Add contacts. Phone numbers are checked and normalized to E.164 before anything is sent.
Contact[] customers =
[
    new() { Phone = "+1 415 555 2671", FirstName = "Ada", LastName = "Lovelace", Email = "ada@example.com", Attributes = new Dictionary<string, string> { ["tier"] = "gold" } },
    new() { Phone = "+14155552672", FirstName = "Alan", LastName = "Turing" },
    new() { Phone = "+14155552673", FirstName = "Grace", LastName = "Hopper", ExternalId = "crm-0042" },
    new() { Phone = "+447911123456", FirstName = "Tim", LastName = "Berners-Lee" },
    new() { Phone = "+33612345678", FirstName = "Marie", LastName = "Curie" },
];
var added = await client.AddContactsAsync(list.Id, customers, new BulkOptions
{
    Progress = new Progress<BulkProgress>(p => Console.WriteLine($"   … {p.Sent} sent in {p.BatchesCompleted} batch(es)")),
});
Console.WriteLine($"2. Added: {added.Read} read, {added.AcceptedForProcessing} accepted for processing by {client.ProviderName}, {added.Rejected.Count} rejected");

// 3. Count.
Console.WriteLine($"3. The list holds {await client.CountContactsAsync(list.Id)} contacts");

// 4. Page through the members.
Console.WriteLine("4. Members:");
await foreach (var contact in client.GetContactsAsync(list.Id))
{
    Console.WriteLine($"   {contact.Phone,-14} {contact.FirstName} {contact.LastName}");
}

// 5. Remove some.
var removed = await client.RemoveContactsAsync(list.Id, customers[3..]);
Console.WriteLine($"5. Removed {removed.AcceptedForProcessing}; {await client.CountContactsAsync(list.Id)} left");

// 6. Replace the members with a new set.
Contact[] vips = [customers[0], new() { Phone = "+14155552699", FirstName = "Katherine", LastName = "Johnson" }];
var replaced = await client.ReplaceContactsAsync(list.Id, vips);
Console.WriteLine($"6. Replaced the members with {replaced.Read} contacts (atomic: {replaced.IsAtomic}); the list holds {await client.CountContactsAsync(list.Id)}");

// 7. Bad input is refused before any request is sent, naming the contact.
try
{
    await client.AddContactsAsync(list.Id, [new Contact { Phone = "+14155552600" }, new Contact { Email = "no-phone@example.com" }]);
}
catch (ContactListValidationException ex)
{
    Console.WriteLine($"7. Refused before sending: {ex.Message}");
}

// 8. Delete the list.
var deletion = await client.DeleteListAsync(list.Id);
Console.WriteLine($"8. Deleted list {deletion.ListId} ({(deletion.IsSoftDelete ? "soft delete: the provider keeps it, marked deleted" : "removed")})");
Console.WriteLine("Done.");
