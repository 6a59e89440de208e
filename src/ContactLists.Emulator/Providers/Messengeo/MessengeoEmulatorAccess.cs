using ContactLists.Emulator.Providers.Messengeo;

namespace ContactLists.Emulator;

// The Messengeo module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>The Messengeo module: its base address and token endpoint (use as <c>MessengeoOptions.BaseAddress</c> and <c>TokenEndpoint</c>), client credentials and state.</summary>
    public EmulatedMessengeo Messengeo => new(
        new Uri(BaseAddress, MessengeoEmulator.Prefix), new Uri(BaseAddress, MessengeoEmulator.Prefix + "/token"), Module<MessengeoEmulator>());
}

/// <summary>The emulator's Messengeo module.</summary>
/// <param name="BaseAddress">Use as <c>MessengeoOptions.BaseAddress</c>.</param>
/// <param name="TokenEndpoint">Use as <c>MessengeoOptions.TokenEndpoint</c>.</param>
/// <param name="State">The module itself.</param>
public sealed record EmulatedMessengeo(Uri BaseAddress, Uri TokenEndpoint, MessengeoEmulator State)
{
    /// <summary>The client id the module accepts.</summary>
    public string ClientId => State.ClientId;

    /// <summary>The client secret the module accepts.</summary>
    public string ClientSecret => State.ClientSecret;
}
