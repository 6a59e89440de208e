using System.Globalization;
using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>SlickText against its emulator module: the whole shared suite, with contacts resolved by mobile number.</summary>
public sealed class SlickTextConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddSlickText(name, o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = settings.WrongCredentials ? "wrong-secret" : emulator.SlickText.ApiKey;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
            o.PageSize = settings.ListPageSize;
            o.EnablePacing = false;
        });

    protected override Contact NewContact(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+1615555{i:D4}"),
        FirstName = "Member",
        LastName = i.ToString(CultureInfo.InvariantCulture),
    };

    protected override string UnknownListId => "999999";

    // The input has no SlickText ids: compare members by mobile number.
    protected override string? Identity(Contact contact) => contact.Phone;
}
