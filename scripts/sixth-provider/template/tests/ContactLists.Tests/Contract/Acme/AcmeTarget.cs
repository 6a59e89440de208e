using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.Acme;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.Acme;

/// <summary>Acme in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class AcmeTarget : ReliabilityTarget
{
    public override string Name => "Acme";

    public override Type Api => typeof(IAcmeApi);

    public override JsonSerializerContext JsonContext => AcmeJsonContext.Default;

    internal override ProviderHttpProfile Profile => AcmeProvider.Profile;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddAcme(name, o =>
    {
        o.BaseAddress = emulator.Acme.BaseAddress;
        o.ApiKey = emulator.Acme.ApiKey;
        o.EnablePacing = false;
    });

    public override Contact Contact(int i) => new() { Phone = UsPhone(i), FirstName = "Member" };

    public override string Secret(ContactListsEmulator emulator) => emulator.Acme.ApiKey;

    public override string Identity(Contact contact) => contact.Phone!;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Acme.State.GetMemberPhones(listId);

    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact) => emulator.Acme.State.GetMember(listId, contact.Phone!)?["first_name"]?.GetValue<string>();
}
