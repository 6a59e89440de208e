using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.Messengeo;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.Messengeo;

/// <summary>Messengeo in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class MessengeoTarget : ReliabilityTarget
{
    public override string Name => "Messengeo";

    public override Type Api => typeof(IMessengeoApi);

    public override JsonSerializerContext JsonContext => MessengeoJsonContext.Default;

    internal override ProviderHttpProfile Profile => MessengeoProvider.Profile;

    public override int ContactsUnderFaults => 10_000;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddMessengeo(name, o =>
    {
        o.BaseAddress = emulator.Messengeo.BaseAddress;
        o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
        o.ClientId = emulator.Messengeo.ClientId;
        o.ClientSecret = emulator.Messengeo.ClientSecret;
    });

    public override IReadOnlyList<(string Read, Func<IContactListClient, string, Task> Run)> PagedReads =>
    [
        ("lists", async (client, _) => { await foreach (var list in client.GetListsAsync()) { } }),
        ("members", async (client, listId) => { await foreach (var member in client.GetContactsAsync(listId)) { } }),
        // A replace reads the list's members whole first (the directory's read), to know whom it holds.
        ("members before a replace", (client, listId) => client.ReplaceContactsAsync(listId, Enumerable.Range(0, 5).Select(Contact))),
    ];

    public override void SmallPages(IServiceCollection services, string name = ClientName) => services.Configure<MessengeoOptions>(name, o => o.PageSize = 2);

    public override Contact Contact(int i) => new() { Phone = FrenchMobile(i), FirstName = "Membre" };

    public override string Secret(ContactListsEmulator emulator) => emulator.Messengeo.ClientSecret;

    public override string Identity(Contact contact) => contact.Phone!;

    public override int? AccountContacts(ContactListsEmulator emulator) => emulator.Messengeo.State.ContactCount;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId)
        => emulator.Messengeo.State.GetMemberMobiles(listId).Select(m => m ?? "(none)").ToArray();

    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact)
        => emulator.Messengeo.State.GetMemberMobiles(listId).Zip(emulator.Messengeo.State.GetMemberProperty(listId, "firstName")).FirstOrDefault(m => m.First == contact.Phone).Second;
}
