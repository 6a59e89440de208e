using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.SlickText;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.SlickText;

/// <summary>SlickText in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class SlickTextTarget : ReliabilityTarget
{
    public override string Name => "SlickText";

    public override Type Api => typeof(ISlickTextApi);

    public override JsonSerializerContext JsonContext => SlickTextJsonContext.Default;

    internal override ProviderHttpProfile Profile => SlickTextProvider.Profile;

    public override int ContactsUnderFaults => 2_500;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddSlickText(name, o =>
    {
        o.BaseAddress = emulator.SlickText.BaseAddress;
        o.ApiKey = emulator.SlickText.ApiKey;
        o.EnablePacing = false;
    });

    public override IReadOnlyList<(string Read, Func<IContactListClient, string, Task> Run)> PagedReads =>
    [
        ("lists", async (client, _) => { await foreach (var list in client.GetListsAsync()) { } }),
        ("members", async (client, listId) => { await foreach (var member in client.GetContactsAsync(listId)) { } }),
        // A replace reads the list's members whole first (the directory's read), to know whom it holds.
        ("members before a replace", (client, listId) => client.ReplaceContactsAsync(listId, Enumerable.Range(0, 5).Select(Contact))),
    ];

    public override void SmallPages(IServiceCollection services, string name = ClientName) => services.Configure<SlickTextOptions>(name, o => (o.PageSize, o.ScanPageSize) = (2, 2));

    public override Contact Contact(int i) => new() { Phone = UsPhone(i), FirstName = "Member" };

    public override string Secret(ContactListsEmulator emulator) => emulator.SlickText.ApiKey;

    public override string Identity(Contact contact) => contact.Phone!;

    public override int? AccountContacts(ContactListsEmulator emulator) => emulator.SlickText.State.ContactCount;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId)
        => emulator.SlickText.State.GetMemberPhones(long.Parse(listId, CultureInfo.InvariantCulture));

    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact)
        => emulator.SlickText.State.GetMemberIds(long.Parse(listId, CultureInfo.InvariantCulture)).Select(emulator.SlickText.State.GetContact)
            .FirstOrDefault(c => c?["mobile_number"]?.GetValue<string>() == contact.Phone)?["first_name"]?.GetValue<string>();
}
