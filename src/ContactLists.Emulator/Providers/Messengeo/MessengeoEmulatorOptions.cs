namespace ContactLists.Emulator;

// The Messengeo module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
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

    /// <summary>
    /// Whether a contact filter other than <c>id</c> and <c>listIds</c> (such as <c>mobile</c> or <c>email</c>) reads
    /// <c>a,b</c> as two values (the default, as Messengeo's filter page documents for filters in general) or as the one
    /// value <c>a,b</c> (the other reading, not ruled out for these filters: an SDK must not take an empty answer for "not found").
    /// </summary>
    public bool MessengeoMultiValueFilters { get; set; } = true;
}
