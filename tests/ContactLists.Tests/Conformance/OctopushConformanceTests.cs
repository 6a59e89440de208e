using System.Globalization;
using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>Octopush against its emulator module: the whole shared suite.</summary>
public sealed class OctopushConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddOctopush(name, o =>
        {
            o.BaseAddress = emulator.Octopush.BaseAddress;
            o.ApiLogin = emulator.Octopush.ApiLogin;
            o.ApiKey = settings.WrongCredentials ? "wrong-secret" : emulator.Octopush.ApiKey;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
        });

    protected override Contact NewContact(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+3361234{i:D4}"),
        FirstName = "Membre",
        LastName = i.ToString(CultureInfo.InvariantCulture),
        Attributes = new Dictionary<string, string> { ["param1"] = "vip" },
    };

    protected override IReadOnlyList<string>? EmulatorMembers(string listId) => Emulator.Octopush.State.GetMemberPhones(listId);

    // Octopush documents that adding contacts with a new list_name creates the list.
    protected override bool AddingToAnUnknownListFails => false;
}
