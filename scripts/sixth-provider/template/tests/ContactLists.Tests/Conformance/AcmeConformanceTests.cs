using System.Globalization;
using ContactLists.Emulator;
using ContactLists.Providers.Acme;

namespace ContactLists.Tests.Conformance;

/// <summary>Acme against its emulator module: the whole shared suite.</summary>
public sealed class AcmeConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddAcme(name, o =>
        {
            o.BaseAddress = emulator.Acme.BaseAddress;
            o.ApiKey = settings.WrongCredentials ? "wrong-secret" : emulator.Acme.ApiKey;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
            o.EnablePacing = false;
        });

    protected override Contact NewContact(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+1415555{i:D4}"),
        FirstName = "Member",
        LastName = i.ToString(CultureInfo.InvariantCulture),
    };

    protected override IReadOnlyList<string>? EmulatorMembers(string listId) => Emulator.Acme.State.GetMemberPhones(listId);
}
