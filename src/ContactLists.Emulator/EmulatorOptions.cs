namespace ContactLists.Emulator;

/// <summary>How the emulator enforces the providers' documented rate limits.</summary>
public enum EmulatorRateLimits
{
    /// <summary>As documented (Whippy: 10 contact-list writes a minute, 25 requests a second).</summary>
    Documented,

    /// <summary>As documented, with every window multiplied by <see cref="EmulatorOptions.RateLimitWindowScale"/>, so pacing can be tested quickly.</summary>
    Scaled,

    /// <summary>Not enforced, so that functional tests run at full speed.</summary>
    Off,
}

/// <summary>Which of the forms SlickText's sources show for "Remove Contacts from Lists" the SlickText module serves (the real one is not confirmed).</summary>
public enum SlickTextRemoveForm
{
    /// <summary><c>DELETE /v1/brands/{brand_id}/lists/contacts</c> with the add call's array, answered <c>{count}</c> (the default).</summary>
    BrandListsContacts,

    /// <summary><c>DELETE /v1/contacts/{contact_id}/lists/{contact_list_id}</c>, no body, one per membership; 404 when not a member.</summary>
    PerMembership,
}

/// <summary>Settings of a <see cref="ContactListsEmulator"/>.</summary>
public sealed class EmulatorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>How rate limits are enforced. Default: <see cref="EmulatorRateLimits.Documented"/>.</summary>
    public EmulatorRateLimits RateLimits { get; set; } = EmulatorRateLimits.Documented;

    /// <summary>With <see cref="EmulatorRateLimits.Scaled"/>, the factor applied to every documented window (0.01 turns a minute into 0.6 s).</summary>
    public double RateLimitWindowScale { get; set; } = 1.0;

    /// <summary>Faults to inject in front of every module (off unless <see cref="EmulatorFaults.Rate"/> is set); see <see cref="EmulatorFaults"/>.</summary>
    public EmulatorFaults Faults { get; set; } = new();

    /// <summary>The clock used for rate limits and timestamps; tests can pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The test API key the Whippy module accepts.</summary>
    public string WhippyApiKey { get; set; } = "emulator-whippy-key";

    /// <summary>The OAuth2 client id the Messengeo module accepts.</summary>
    public string MessengeoClientId { get; set; } = "emulator-messengeo-client";

    /// <summary>The OAuth2 client secret the Messengeo module accepts.</summary>
    public string MessengeoClientSecret { get; set; } = "emulator-messengeo-secret";

    /// <summary>How long a Messengeo token lives (not documented; clients must use <c>expires_in</c>).</summary>
    public TimeSpan MessengeoTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The most items a Messengeo read returns, whatever <c>limit</c> asks for. Messengeo documents no maximum, so a
    /// real server may cap pages; the default of 50 makes a client that stops at the first short page fail in tests.
    /// </summary>
    public int MessengeoMaxLimit { get; set; } = 50;

    /// <summary>How much emulator time a Messengeo file import takes to complete.</summary>
    public TimeSpan MessengeoImportDuration { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>
    /// Whether the Messengeo module reads an import's <c>name</c> and <c>ignoreFirstLine</c> from the query string (as
    /// Digitaleo's Python wrapper sends them) instead of the multipart body (as Messengeo's example shows, the default).
    /// It reads them from that one place only.
    /// </summary>
    public bool MessengeoImportParametersInQuery { get; set; }

    /// <summary>
    /// Whether the Messengeo module understands <c>ignoreFirstLine</c> as <c>1</c>/<c>0</c> instead of the documented
    /// <c>true</c>/<c>false</c> (the default). Any other value is refused with 417.
    /// </summary>
    public bool MessengeoImportFlagAsNumber { get; set; }

    /// <summary>The API key the SlickText module accepts.</summary>
    public string SlickTextApiKey { get; set; } = "emulator-slicktext-key";

    /// <summary>
    /// Which form of "Remove Contacts from Lists" the SlickText module serves; the other answers 404/405, as a server
    /// serving only the other form would. SlickText has not confirmed either.
    /// </summary>
    public SlickTextRemoveForm SlickTextRemoveForm { get; set; } = SlickTextRemoveForm.BrandListsContacts;

    /// <summary>The brand id of the SlickText module.</summary>
    public long SlickTextBrandId { get; set; } = 1_234_500_001;

    /// <summary>The <c>api-login</c> the Octopush module accepts.</summary>
    public string OctopushApiLogin { get; set; } = "emulator@octopush.test";

    /// <summary>The <c>api-key</c> the Octopush module accepts.</summary>
    public string OctopushApiKey { get; set; } = "emulator-octopush-key";

    /// <summary>
    /// How the Octopush module answers <c>contact-list/create</c> with a name already taken, which Octopush does not
    /// document: 400 (the default) or 409 with a message saying the list exists, or 201 as if it had created it.
    /// </summary>
    public int OctopushDuplicateListStatus { get; set; } = 400;

    /// <summary>The OAuth2 client id the Movio module accepts.</summary>
    public string MovioClientId { get; set; } = "emulator-movio-client";

    /// <summary>The OAuth2 client secret the Movio module accepts.</summary>
    public string MovioClientSecret { get; set; } = "emulator-movio-secret";

    /// <summary>How long a Movio token lives (Movio says "usually" 24 hours).</summary>
    public TimeSpan MovioTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most contacts the Movio module accepts in one request (not published for contact lists; 5000 is the documented limit of Movio's other bulk endpoints).</summary>
    public int MovioMaxContactsPerRequest { get; set; } = 5000;

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

    /// <summary>The window a documented limit is enforced over, after scaling.</summary>
    /// <param name="documented">The documented window.</param>
    /// <returns>The window to enforce, or <see langword="null"/> when limits are off.</returns>
    public TimeSpan? EnforcedWindow(TimeSpan documented) => RateLimits switch
    {
        EmulatorRateLimits.Off => null,
        EmulatorRateLimits.Scaled => TimeSpan.FromTicks((long)(documented.Ticks * RateLimitWindowScale)),
        _ => documented,
    };
}
