using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Emulator;
using ContactLists.Http;
using ContactLists.Providers.Movio;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Contract.Movio;

/// <summary>Movio in the suites that run through every provider (conformance, conventions, reliability).</summary>
public sealed class MovioTarget : ReliabilityTarget
{
    public override string Name => "Movio";

    public override Type Api => typeof(IMovioApi);

    public override JsonSerializerContext JsonContext => MovioJsonContext.Default;

    internal override ProviderHttpProfile Profile => MovioProvider.Profile;

    public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddMovio(name, o =>
    {
        o.BaseAddress = emulator.Movio.BaseAddress;
        o.TokenEndpoint = emulator.Movio.TokenEndpoint;
        o.ClientId = emulator.Movio.ClientId;
        o.ClientSecret = emulator.Movio.ClientSecret;
    });

    public override Contact Contact(int i) => new() { Email = string.Create(CultureInfo.InvariantCulture, $"member{i}@example.com"), FirstName = "Member" };

    public override string Secret(ContactListsEmulator emulator) => emulator.Movio.ClientSecret;

    public override string Identity(Contact contact) => contact.Email!;

    public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Movio.State.GetMemberEmails(listId);

    // FirstName goes to the list column MovioOptions.FirstNameAttribute names (first_name by default).
    public override string? HeldName(ContactListsEmulator emulator, string listId, Contact contact) => emulator.Movio.State.GetMemberAttributes(listId, contact.Email!)?.GetValueOrDefault("first_name");

    public override Task<string> CreateListAsync(IContactListClient client, ContactListsEmulator emulator, string name) => Task.FromResult(emulator.Movio.State.CreateList(name));
}
