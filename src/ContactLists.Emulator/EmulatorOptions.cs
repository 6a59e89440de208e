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

/// <summary>
/// Settings of a <see cref="ContactListsEmulator"/>: the shared ones here, each provider module's in its own folder
/// (<c>Providers/{Name}/{Name}EmulatorOptions.cs</c>), all on this one class.
/// </summary>
public sealed partial class EmulatorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>How rate limits are enforced. Default: <see cref="EmulatorRateLimits.Documented"/>.</summary>
    public EmulatorRateLimits RateLimits { get; set; } = EmulatorRateLimits.Documented;

    /// <summary>With <see cref="EmulatorRateLimits.Scaled"/>, the factor applied to every documented window (0.01 turns a minute into 0.6 s).</summary>
    public double RateLimitWindowScale { get; set; } = 1.0;

    /// <summary>
    /// How many contacts each provider's account holds at start, as an account in use would (phones <c>+14153</c> and
    /// six digits, e-mails <c>seed{n}@example.com</c>): Whippy, Octopush, SlickText and Messengeo in the account; Movio,
    /// whose contacts live in lists, in a list named <c>seeded</c>. Default 0.
    /// </summary>
    public int SeedContacts { get; set; }

    /// <summary>Faults to inject in front of every module (off unless <see cref="EmulatorFaults.Rate"/> is set); see <see cref="EmulatorFaults"/>.</summary>
    public EmulatorFaults Faults { get; set; } = new();

    /// <summary>The clock used for rate limits and timestamps; tests can pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

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
