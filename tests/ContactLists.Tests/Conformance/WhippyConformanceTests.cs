using System.Globalization;
using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>Whippy against its emulator module: the whole shared suite.</summary>
public sealed class WhippyConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddWhippy(name, o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = settings.WrongCredentials ? "wrong-secret" : emulator.Whippy.ApiKey;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
            o.ListPageSize = settings.ListPageSize;
            o.EnablePacing = false;
        });

    protected override Contact NewContact(int i) => new()
    {
        Phone = string.Create(CultureInfo.InvariantCulture, $"+1415555{i:D4}"),
        FirstName = "Member",
        LastName = i.ToString(CultureInfo.InvariantCulture),
        Attributes = new Dictionary<string, string> { ["rank"] = i.ToString(CultureInfo.InvariantCulture) },
    };

    // Whippy embeds only the first page of a list's members in GET /v1/contacts/lists/{id}.
    protected override int MaxReadableMembers => 50;
}
