namespace ContactLists.Emulator;

// The Movio module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
    /// <summary>The OAuth2 client id the Movio module accepts.</summary>
    public string MovioClientId { get; set; } = "emulator-movio-client";

    /// <summary>The OAuth2 client secret the Movio module accepts.</summary>
    public string MovioClientSecret { get; set; } = "emulator-movio-secret";

    /// <summary>How long a Movio token lives (Movio says "usually" 24 hours).</summary>
    public TimeSpan MovioTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most contacts the Movio module accepts in one request (not published for contact lists; 5000 is the documented limit of Movio's other bulk endpoints).</summary>
    public int MovioMaxContactsPerRequest { get; set; } = 5000;
}
