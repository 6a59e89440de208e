using ContactLists.Emulator.Providers.Movio;

namespace ContactLists.Emulator;

// The Movio module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>
    /// The Movio module: its API address and token endpoint (use as <c>MovioOptions.BaseAddress</c> and
    /// <c>MovioOptions.TokenEndpoint</c>), client credentials, and state (create lists with <c>State.CreateList</c>).
    /// </summary>
    public EmulatedMovio Movio => new(
        new Uri(BaseAddress, MovioEmulator.Prefix + "/api"), new Uri(BaseAddress, MovioEmulator.Prefix + "/oauth/token"), Module<MovioEmulator>());
}

/// <summary>The emulator's Movio module.</summary>
/// <param name="BaseAddress">Use as <c>MovioOptions.BaseAddress</c> (the audience is the same address).</param>
/// <param name="TokenEndpoint">Use as <c>MovioOptions.TokenEndpoint</c>.</param>
/// <param name="State">The module itself: client credentials, lists, members.</param>
public sealed record EmulatedMovio(Uri BaseAddress, Uri TokenEndpoint, MovioEmulator State)
{
    /// <summary>The client id the module accepts.</summary>
    public string ClientId => State.ClientId;

    /// <summary>The client secret the module accepts.</summary>
    public string ClientSecret => State.ClientSecret;
}
