using System.Globalization;
using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>Messengeo against its emulator module (OAuth2 included): the whole shared suite, with contacts resolved by mobile number.</summary>
public sealed class MessengeoConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddMessengeo(name, o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = settings.WrongCredentials ? "wrong-secret" : emulator.Messengeo.ClientSecret;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
            o.PageSize = settings.ListPageSize;
        });

    protected override Contact NewContact(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+3360000{i:D4}"),
        FirstName = "Membre",
        LastName = i.ToString(CultureInfo.InvariantCulture),
        Attributes = new Dictionary<string, string> { ["field01"] = "vip" },
    };

    protected override string UnknownListId => "999999";

    // The input has no Messengeo ids: compare members by mobile number.
    protected override string? Identity(Contact contact) => contact.Phone;
}
