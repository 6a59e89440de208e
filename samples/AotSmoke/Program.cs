// A Native AOT app using all five providers: one call each against the emulator, which runs as a separate process
// (contactlists-emulator --port <port> --movio-list aot). Usage: AotSmoke <emulator address> <Movio list id>
// Exits 0 when every provider accepted its contact.
using ContactLists;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 2 || !Uri.TryCreate(args[0], UriKind.Absolute, out var emulator))
{
    Console.Error.WriteLine("usage: AotSmoke <emulator address, such as http://127.0.0.1:5089/> <Movio list id>");
    return 2;
}

var movioList = args[1];
Uri At(string path) => new(emulator, path);

var services = new ServiceCollection();
services.AddContactLists(b =>
{
    // The emulator's default test credentials.
    b.AddWhippy("whippy", o => { o.BaseAddress = At("whippy"); o.ApiKey = "emulator-whippy-key"; });
    b.AddMovio("movio", o =>
    {
        o.BaseAddress = At("movio/api");
        o.TokenEndpoint = At("movio/oauth/token");
        o.ClientId = "emulator-movio-client";
        o.ClientSecret = "emulator-movio-secret";
    });
    b.AddOctopush("octopush", o => { o.BaseAddress = At("octopush"); o.ApiLogin = "emulator@octopush.test"; o.ApiKey = "emulator-octopush-key"; });
    b.AddSlickText("slicktext", o => { o.BaseAddress = At("slicktext"); o.ApiKey = "emulator-slicktext-key"; });
    b.AddMessengeo("messengeo", o =>
    {
        o.BaseAddress = At("messengeo");
        o.TokenEndpoint = At("messengeo/token");
        o.ClientId = "emulator-messengeo-client";
        o.ClientSecret = "emulator-messengeo-secret";
    });
});
await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
var factory = provider.GetRequiredService<IContactListClientFactory>();

var failures = 0;
foreach (var name in factory.ClientNames)
{
    var client = factory.GetClient(name);
    try
    {
        var listId = client.Capabilities.HasFlag(ContactListCapabilities.CreateList)
            ? (await client.CreateListAsync(new NewContactList("AOT"))).Id
            : movioList;
        var result = await client.AddContactsAsync(listId, [new Contact { Phone = "+14155550100", Email = "aot@example.com", FirstName = "Aot" }]);
        var accepted = result.Accepted + result.AcceptedForProcessing == 1;
        failures += accepted ? 0 : 1;
        Console.WriteLine($"{client.ProviderName,-10} {(accepted ? "ok" : "NOT ACCEPTED")}");
    }
    catch (ContactListException ex)
    {
        failures++;
        Console.WriteLine($"{client.ProviderName,-10} FAILED: {ex.Message}");
    }
}

Console.WriteLine(failures == 0 ? "aot: 5 providers ok" : $"aot: {failures} failed");
return failures == 0 ? 0 : 1;
