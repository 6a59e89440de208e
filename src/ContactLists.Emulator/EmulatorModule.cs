using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator;

/// <summary>
/// One provider module of the emulator. The emulator discovers every module in its assembly and constructs each
/// with <c>(EmulatorOptions, EmulatorRequestLog)</c> (a constructor that may refuse invalid settings with
/// <see cref="ArgumentException"/>), so a new provider adds one folder under <c>Providers/</c> — its module, its
/// settings (a part of <see cref="EmulatorOptions"/>) and its accessor (a property in a part of
/// <see cref="ContactListsEmulator"/>) — and touches no shared file.
/// </summary>
internal interface IEmulatorModule
{
    /// <summary>The provider emulated, as the SDK names it (its configuration section, <c>ContactLists:{Provider}</c>).</summary>
    string Provider { get; }

    /// <summary>
    /// What a client of this provider sets to use the module, as the SDK's option names and values (BaseAddress,
    /// credentials, token endpoint), given the emulator's root address: the emulator tool prints them and
    /// <see cref="ContactListsEmulator.ClientConfiguration"/> turns them into configuration.
    /// </summary>
    IEnumerable<KeyValuePair<string, string>> ClientSettings(Uri root);

    /// <summary>Maps the module's endpoints under its own path prefix.</summary>
    void Map(IEndpointRouteBuilder app);

    /// <summary>Called once Kestrel listens, with the emulator's root address (for modules that must know their own URL).</summary>
    void OnStarted(Uri baseAddress)
    {
    }

    /// <summary>
    /// Puts <paramref name="contacts"/> contacts in the account before anything is served, as an account in use would
    /// hold (<see cref="EmulatorOptions.SeedContacts"/>): phone <c>+14153</c> and six digits, e-mail <c>seed{n}@example.com</c>.
    /// Returns what was seeded, in a few words, for the emulator tool to print.
    /// </summary>
    string? Seed(int contacts) => null;

    /// <summary>
    /// Creates a list the way the provider's own app does, for a provider whose API cannot create lists (Movio's are
    /// made in Movio EQ); returns its id, or <see langword="null"/> for a provider whose API creates lists itself.
    /// </summary>
    string? CreateListInApp(string name) => null;
}
