using System.Globalization;
using ContactLists.Emulator;

namespace ContactLists.Tests.Conformance;

/// <summary>Movio against its emulator module (OAuth2 included): the whole shared suite.</summary>
public sealed class MovioConformanceTests : ContactListConformanceTests
{
    protected override void AddClient(ContactListsBuilder builder, string name, ContactListsEmulator emulator, ConformanceSettings settings)
        => builder.AddMovio(name, o =>
        {
            o.BaseAddress = emulator.Movio.BaseAddress;
            o.TokenEndpoint = emulator.Movio.TokenEndpoint;
            o.ClientId = emulator.Movio.ClientId;
            o.ClientSecret = settings.WrongCredentials ? "wrong-secret" : emulator.Movio.ClientSecret;
            o.PhoneNumberCheck = settings.PhoneNumberCheck;
        });

    protected override Contact NewContact(int i) => new()
    {
        Email = string.Create(CultureInfo.InvariantCulture, $"member{i}@example.com"),
        FirstName = "Member",
        LastName = i.ToString(CultureInfo.InvariantCulture),
        Attributes = new Dictionary<string, string> { ["favourite_genre"] = "Sci-Fi" },
    };

    // Movio lists are created in its web app; the emulator stands in for it.
    protected override Task<string> CreateTestListAsync(string name) => Task.FromResult(Emulator.Movio.State.CreateList(name));

    protected override IReadOnlyList<string>? EmulatorMembers(string listId) => Emulator.Movio.State.GetMemberEmails(listId);
}
