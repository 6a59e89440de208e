using ContactLists.Emulator.Providers.Acme;

namespace ContactLists.Emulator;

// The Acme module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>The Acme module: its base address (use as <c>AcmeOptions.BaseAddress</c>), test API key and state.</summary>
    public EmulatedProvider<AcmeEmulator> Acme
    {
        get
        {
            var module = Module<AcmeEmulator>();
            return new EmulatedProvider<AcmeEmulator>(new Uri(BaseAddress, AcmeEmulator.Prefix), module.ApiKey, module);
        }
    }
}
