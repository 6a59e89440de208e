namespace ContactLists.Emulator;

// The Acme module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
    /// <summary>The <c>X-Api-Key</c> the Acme module accepts.</summary>
    public string AcmeApiKey { get; set; } = "emulator-acme-key";
}
