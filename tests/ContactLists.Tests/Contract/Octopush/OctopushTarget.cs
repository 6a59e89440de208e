using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.Octopush;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.Octopush;

/// <summary>Octopush in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class OctopushTarget : ReliabilityTarget
{
    public override string Name => "Octopush";

    public override Type Api => typeof(IOctopushApi);

    public override JsonSerializerContext JsonContext => OctopushJsonContext.Default;

    internal override ProviderHttpProfile Profile => OctopushProvider.Profile;

    // Octopush documents no read that could serve as a probe.
    public override bool HealthProbe => false;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddOctopush(name, o =>
    {
        o.BaseAddress = emulator.Octopush.BaseAddress;
        o.ApiLogin = emulator.Octopush.ApiLogin;
        o.ApiKey = emulator.Octopush.ApiKey;
    });

    public override Contact Contact(int i) => new() { Phone = FrenchMobile(i), FirstName = "Membre" };

    public override string Secret(ContactListsEmulator emulator) => emulator.Octopush.ApiKey;

    public override string Identity(Contact contact) => contact.Phone!;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Octopush.State.GetMemberPhones(listId);

    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact) => emulator.Octopush.State.GetContact(contact.Phone!)?.GetValueOrDefault("first_name");
}
