using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.Whippy;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.Whippy;

/// <summary>Whippy in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class WhippyTarget : ReliabilityTarget
{
    public override string Name => "Whippy";

    public override Type Api => typeof(IWhippyApi);

    public override JsonSerializerContext JsonContext => WhippyJsonContext.Default;

    internal override ProviderHttpProfile Profile => WhippyProvider.Profile;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddWhippy(name, o =>
    {
        o.BaseAddress = emulator.Whippy.BaseAddress;
        o.ApiKey = emulator.Whippy.ApiKey;
        o.EnablePacing = false;
    });

    public override IReadOnlyList<(string Read, Func<IContactListClient, string, Task> Run)> PagedReads => [("lists", async (client, _) => { await foreach (var list in client.GetListsAsync()) { } })];

    public override void SmallPages(IServiceCollection services, string name = ClientName) => services.Configure<WhippyOptions>(name, o => o.ListPageSize = 2);

    public override Contact Contact(int i) => new() { Phone = UsPhone(i), FirstName = "Member", LastName = i.ToString(CultureInfo.InvariantCulture) };

    public override string Secret(ContactListsEmulator emulator) => emulator.Whippy.ApiKey;

    public override string Identity(Contact contact) => contact.Phone!;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Whippy.State.GetMemberPhones(listId);

    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact) => emulator.Whippy.State.GetContact(contact.Phone!)?["name"]?.GetValue<string>();
}
