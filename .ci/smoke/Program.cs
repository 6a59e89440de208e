// Settings come from appsettings.json; the secrets from environment variables (.ci/run sets the emulator's), as
// a real app keeps them. One call per provider against the emulator, started on the port appsettings.json names.
using ContactLists;
using ContactLists.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

var configuration = new ConfigurationBuilder()
    .SetBasePath(AppContext.BaseDirectory)
    .AddJsonFile("appsettings.json")
    .AddEnvironmentVariables()
    .Build();

await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { Port = configuration.GetValue<int>("Smoke:EmulatorPort") });

var services = new ServiceCollection();
services.AddContactLists(configuration, b => b.AddWhippy().AddMovio().AddOctopush().AddSlickText().AddMessengeo());
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
provider.GetRequiredService<Microsoft.Extensions.Options.IStartupValidator>().Validate();

var factory = provider.GetRequiredService<IContactListClientFactory>();
var failures = 0;
foreach (var name in factory.ClientNames)
{
    var client = factory.GetClient(name);
    try
    {
        // Movio lists are made in its web app; the emulator stands in for it.
        var listId = client.Capabilities.HasFlag(ContactListCapabilities.CreateList)
            ? (await client.CreateListAsync(new NewContactList("Smoke"))).Id
            : emulator.Movio.State.CreateList("Smoke");
        var result = await client.AddContactsAsync(listId, [new Contact { Phone = "+14155550100", Email = "smoke@example.com", FirstName = "Smoke" }]);
        var ok = result.Accepted + result.AcceptedForProcessing == 1;
        failures += ok ? 0 : 1;
        Console.WriteLine($"{client.ProviderName,-10} {name,-10} {(ok ? "ok" : "NOT ACCEPTED: " + result)}");
    }
    catch (ContactListException ex)
    {
        failures++;
        Console.WriteLine($"{client.ProviderName,-10} {name,-10} FAILED: {ex.Message}");
    }
}

Console.WriteLine(failures == 0 ? $"smoke: {factory.ClientNames.Count} providers ok" : $"smoke: {failures} failed");
return failures == 0 ? 0 : 1;
