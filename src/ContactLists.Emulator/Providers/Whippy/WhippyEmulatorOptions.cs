namespace ContactLists.Emulator;

// The Whippy module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
    /// <summary>The test API key the Whippy module accepts.</summary>
    public string WhippyApiKey { get; set; } = "emulator-whippy-key";

    /// <summary>How many of a list's contacts Whippy embeds in <c>GET /v1/contacts/lists/{id}</c> (its paging of them is undocumented).</summary>
    public int WhippyEmbeddedContactsPageSize { get; set; } = 50;

    /// <summary>
    /// How long after answering "Contact list contacts are being updated" the Whippy module applies a membership change
    /// (on <see cref="TimeProvider"/>). Whippy processes these changes asynchronously; zero (the default) applies them
    /// before answering, a positive delay lets tests see a list that has not caught up yet.
    /// </summary>
    public TimeSpan WhippyMembershipChangeDelay { get; set; }

    /// <summary>
    /// The status of Whippy's "being updated" answer: 200 (the default) or 202. Whippy does not document which; its
    /// own sync client treats 200 to 202 as success, and so must every client.
    /// </summary>
    public int WhippyMembershipChangeStatus { get; set; } = 200;
}
