namespace ContactLists.Http;

/// <summary>
/// A documented rate limit to stay under on the client side: at most <see cref="PermitLimit"/> matching requests
/// in any window of <see cref="Window"/>.
/// </summary>
internal sealed class PacingRule
{
    /// <summary>Creates a rule.</summary>
    /// <param name="name">A name for logs, such as <c>contact-list writes</c>.</param>
    /// <param name="permitLimit">Requests allowed per window.</param>
    /// <param name="window">The window.</param>
    /// <param name="appliesTo">Which requests count against the rule.</param>
    public PacingRule(string name, int permitLimit, TimeSpan window, Func<HttpRequestMessage, bool> appliesTo)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(permitLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(appliesTo);
        Name = name;
        PermitLimit = permitLimit;
        Window = window;
        AppliesTo = appliesTo;
    }

    /// <summary>A name for logs.</summary>
    public string Name { get; }

    /// <summary>Requests allowed per window.</summary>
    public int PermitLimit { get; }

    /// <summary>The window.</summary>
    public TimeSpan Window { get; }

    /// <summary>Which requests count against the rule.</summary>
    public Func<HttpRequestMessage, bool> AppliesTo { get; }
}
