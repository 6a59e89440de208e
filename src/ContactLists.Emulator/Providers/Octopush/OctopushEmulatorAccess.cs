using ContactLists.Emulator.Providers.Octopush;

namespace ContactLists.Emulator;

// The Octopush module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>The Octopush module: its base address (use as <c>OctopushOptions.BaseAddress</c>), test login and key, and state.</summary>
    public EmulatedOctopush Octopush => new(new Uri(BaseAddress, OctopushEmulator.Prefix), Module<OctopushEmulator>());
}

/// <summary>The emulator's Octopush module.</summary>
/// <param name="BaseAddress">Use as <c>OctopushOptions.BaseAddress</c>.</param>
/// <param name="State">The module itself: credentials, lists, contacts.</param>
public sealed record EmulatedOctopush(Uri BaseAddress, OctopushEmulator State)
{
    /// <summary>The <c>api-login</c> the module accepts.</summary>
    public string ApiLogin => State.ApiLogin;

    /// <summary>The <c>api-key</c> the module accepts.</summary>
    public string ApiKey => State.ApiKey;
}
