// QuickStart: the life of a contact list through the provider-neutral client, on every configured provider.
//
// With no credentials configured it starts the local emulator in-process and runs against its Whippy, Movio,
// Octopush, SlickText and Messengeo. To run against your real accounts, configure them instead (never commit secrets), for example:
//     export ContactLists__Whippy__main__ApiKey=...
//     export ContactLists__Octopush__main__ApiLogin=... ContactLists__Octopush__main__ApiKey=...
//     export ContactLists__Movio__main__BaseAddress=... ContactLists__Movio__main__Region=Eu \
//            ContactLists__Movio__main__ClientId=... ContactLists__Movio__main__ClientSecret=... \
//            QuickStart__MovioListId=...      (Movio lists are created in the Movio EQ web app)
using ContactLists;
using ContactLists.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
var configured = configuration.GetSection("ContactLists").GetChildren().Any();

await using var emulator = configured ? null : await ContactListsEmulator.StartAsync();
string? movioListId = configuration["QuickStart:MovioListId"];

var services = new ServiceCollection();
if (emulator is null)
{
    services.AddContactLists(configuration, contactLists =>
    {
        // Every account found in configuration, whatever its provider.
        contactLists.AddWhippy().AddMovio().AddOctopush().AddSlickText().AddMessengeo();
    });
}
else
{
    services.AddContactLists(contactLists =>
    {
        contactLists.AddWhippy("whippy", o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
        });
        contactLists.AddMovio("movio", o =>
        {
            o.BaseAddress = emulator.Movio.BaseAddress;
            o.TokenEndpoint = emulator.Movio.TokenEndpoint;
            o.ClientId = emulator.Movio.ClientId;
            o.ClientSecret = emulator.Movio.ClientSecret;
        });
        contactLists.AddOctopush("octopush", o =>
        {
            o.BaseAddress = emulator.Octopush.BaseAddress;
            o.ApiLogin = emulator.Octopush.ApiLogin;
            o.ApiKey = emulator.Octopush.ApiKey;
        });
        contactLists.AddSlickText("slicktext", o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = emulator.SlickText.ApiKey;
        });
        contactLists.AddMessengeo("messengeo", o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = emulator.Messengeo.ClientSecret;
            o.ImportPollInterval = TimeSpan.FromSeconds(1);
        });
    });
    // Movio lists are created in its web app; the emulator stands in for it.
    movioListId = emulator.Movio.State.CreateList("QuickStart");
}

await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var factory = provider.GetRequiredService<IContactListClientFactory>();
Console.WriteLine(emulator is null ? "Running against the configured accounts." : $"Running against the emulator at {emulator.BaseAddress}.");

foreach (var name in factory.ClientNames)
{
    await TourAsync(factory.GetClient(name), movioListId);
}

Console.WriteLine();
Console.WriteLine("Done.");

static async Task TourAsync(IContactListClient client, string? existingListId)
{
    Console.WriteLine();
    Console.WriteLine($"== {client.ClientName}: {client.ProviderName}, contacts identified by {client.Identity}");
    Console.WriteLine($"   capabilities: {client.Capabilities}");
    bool Can(ContactListCapabilities capability) => client.Capabilities.HasFlag(capability);

    // 1. Create a list, or use one made in the provider's own app.
    string listId;
    if (Can(ContactListCapabilities.CreateList))
    {
        var list = await client.CreateListAsync(new NewContactList($"QuickStart {DateTime.UtcNow:HHmmss}"));
        listId = list.Id;
        Console.WriteLine($"1. Created list '{list.Name}' (id {list.Id})");
    }
    else if (existingListId is not null)
    {
        listId = existingListId;
        Console.WriteLine($"1. {client.ProviderName} lists are made in its own app; using list {listId}");
    }
    else
    {
        Console.WriteLine($"1. {client.ProviderName} cannot create lists and no list id was configured: skipping.");
        return;
    }

    // 2. Add contacts. Identities are checked (and phones normalized to E.164) before anything is sent.
    Contact[] customers =
    [
        new() { Phone = "+1 415 555 2671", Email = "ada@example.com", FirstName = "Ada", LastName = "Lovelace" }, // E.164 after normalization
        new() { Phone = "+14155552672", Email = "alan@example.com", FirstName = "Alan", LastName = "Turing" },
        new() { Phone = "+14155552673", Email = "grace@example.com", FirstName = "Grace", LastName = "Hopper" },
        new() { Phone = "+447911123456", Email = "tim@example.com", FirstName = "Tim", LastName = "Berners-Lee" },
        new() { Phone = "+33612345678", Email = "marie@example.com", FirstName = "Marie", LastName = "Curie" },
    ];
    var added = await client.AddContactsAsync(listId, customers);
    Console.WriteLine($"2. Added {added.Read}: {added.Accepted} confirmed, {added.AcceptedForProcessing} accepted for processing, {added.Rejected.Count} rejected");

    // 3. Count and page through the members, where the provider can read them.
    if (Can(ContactListCapabilities.CountContacts))
    {
        Console.WriteLine($"3. The list holds {await client.CountContactsAsync(listId)} contacts");
    }

    if (Can(ContactListCapabilities.GetContacts))
    {
        await foreach (var contact in client.GetContactsAsync(listId))
        {
            Console.WriteLine($"   {contact.Phone,-14} {contact.Email,-20} {contact.FirstName} {contact.LastName}");
        }
    }
    else
    {
        Console.WriteLine($"3. {client.ProviderName} offers no reads of a list's members");
    }

    // 4. Remove some, then 5. replace the members with a new set.
    var removed = await client.RemoveContactsAsync(listId, customers[3..]);
    Console.WriteLine($"4. Removed {removed.Accepted + removed.AcceptedForProcessing}");
    Contact[] vips = [customers[0], new() { Phone = "+14155552699", Email = "katherine@example.com", FirstName = "Katherine", LastName = "Johnson" }];
    var replaced = await client.ReplaceContactsAsync(listId, vips);
    Console.WriteLine($"5. Replaced the members with {replaced.Read} contacts (atomic: {replaced.IsAtomic})"
        + (Can(ContactListCapabilities.CountContacts) ? $"; the list holds {await client.CountContactsAsync(listId)}" : string.Empty));

    // 6. Bad input is refused before any request is sent, naming the contact and the field.
    try
    {
        await client.AddContactsAsync(listId, [customers[0], new Contact { FirstName = "Nobody" }]);
    }
    catch (ContactListValidationException ex)
    {
        Console.WriteLine($"6. Refused before sending: {ex.Message}");
    }

    // 7. Merge and file import, where the provider offers them; elsewhere they fail clearly, before any request.
    try
    {
        var merged = await client.MergeListsAsync($"{listId} merged", [listId]);
        Console.WriteLine($"7. Merged into list {merged.Id} holding {await client.CountContactsAsync(merged.Id)} contacts");
        using var csv = new MemoryStream("Mme;Ana;Leroy;ana@example.fr;;+33600000001\nM.;Paul;Martin;;;+33600000002\n;;;not-valid;;\n"u8.ToArray());
        var import = await client.ImportFileAsync("QuickStart import", new ContactListFile(csv, "contacts.csv") { HasHeaderRow = false });
        await import.WaitForCompletionAsync(TimeSpan.FromMinutes(1));
        Console.WriteLine($"   Imported a file into list {import.ListId}: {import.State}, {import.LinesRead} lines, {import.InvalidLines} invalid (report: {import.ErrorReport})");
    }
    catch (ContactListOperationNotSupportedException ex)
    {
        Console.WriteLine($"7. {ex.Message}");
    }

    // 8. Delete the list, where the provider can.
    if (Can(ContactListCapabilities.DeleteList))
    {
        var deletion = await client.DeleteListAsync(listId);
        Console.WriteLine($"8. Deleted list {deletion.ListId}{(deletion.IsSoftDelete ? " (soft delete: the provider keeps it, marked deleted)" : string.Empty)}");
    }
}
