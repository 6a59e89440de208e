namespace ContactLists.Emulator;

// The Octopush module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
    /// <summary>The <c>api-login</c> the Octopush module accepts.</summary>
    public string OctopushApiLogin { get; set; } = "emulator@octopush.test";

    /// <summary>The <c>api-key</c> the Octopush module accepts.</summary>
    public string OctopushApiKey { get; set; } = "emulator-octopush-key";

    /// <summary>
    /// How the Octopush module answers <c>contact-list/create</c> with a name already taken, which Octopush does not
    /// document: 400 (the default) or 409 with a message saying the list exists, or 201 as if it had created it.
    /// </summary>
    public int OctopushDuplicateListStatus { get; set; } = 400;
}
