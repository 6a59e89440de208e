using ContactLists.Emulator.Providers.SlickText;

namespace ContactLists.Emulator;

// The SlickText module's accessor, on the emulator (a module keeps its accessor in its own folder).
public sealed partial class ContactListsEmulator
{
    /// <summary>The SlickText module: its base address (use as <c>SlickTextOptions.BaseAddress</c>), test API key and state.</summary>
    public EmulatedProvider<SlickTextEmulator> SlickText
    {
        get
        {
            var module = Module<SlickTextEmulator>();
            return new EmulatedProvider<SlickTextEmulator>(new Uri(BaseAddress, SlickTextEmulator.Prefix), module.ApiKey, module);
        }
    }
}
