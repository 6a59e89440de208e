using ContactLists.Emulator.Providers.Whippy;

namespace ContactLists.Emulator;

// The Whippy module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>The Whippy module: its base address (use as <c>WhippyOptions.BaseAddress</c>), test API key and state.</summary>
    public EmulatedProvider<WhippyEmulator> Whippy
    {
        get
        {
            var module = Module<WhippyEmulator>();
            return new EmulatedProvider<WhippyEmulator>(new Uri(BaseAddress, WhippyEmulator.Prefix), module.ApiKey, module);
        }
    }
}
