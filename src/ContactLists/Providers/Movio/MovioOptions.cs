namespace ContactLists.Providers.Movio;

/// <summary>Movio's regions; the region selects the OAuth2 token issuer.</summary>
public enum MovioRegion
{
    /// <summary>Europe: <c>https://auth-eu.eq.movio.co/oauth/token</c>.</summary>
    Eu,

    /// <summary>United States: <c>https://auth-us.eq.movio.co/oauth/token</c>.</summary>
    Us,
}

/// <summary>Settings of one Movio account (bound from <c>ContactLists:Movio:{name}</c>).</summary>
public sealed class MovioOptions : ContactListClientOptions
{
    /// <summary>The largest batch: Movio documents 1..5000 items for its sibling bulk endpoints; the contact-list limit is not published.</summary>
    public const int MaxContactsPerRequest = 5000;

    /// <summary>Required: the region, which selects the token issuer (unless <see cref="TokenEndpoint"/> is set).</summary>
    public MovioRegion? Region { get; set; }

    /// <summary>Overrides the region's token endpoint (for the emulator, or a new issuer).</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>Required: the client id from Movio EQ → Settings → API credentials.</summary>
    public string? ClientId { get; set; }

    /// <summary>Required: the client secret. Never logged; Movio cannot revoke a leaked token, so keep it out of source control.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>
    /// The OAuth2 <c>audience</c>: Movio says it is "the URL of the API" of your region. Defaults to
    /// <see cref="ContactListClientOptions.BaseAddress"/> without a trailing slash.
    /// </summary>
    public string? Audience { get; set; }

    /// <summary>The OAuth2 <c>scope</c> to ask for; empty by default (Movio does not publish scope names).</summary>
    public string? Scope { get; set; }

    /// <summary>Contacts per request; default and maximum 5000.</summary>
    public int BatchSize { get; set; } = MaxContactsPerRequest;

    /// <summary>The attribute key <see cref="Contact.FirstName"/> is sent as; <see langword="null"/> to leave it out.</summary>
    public string? FirstNameAttribute { get; set; } = "first_name";

    /// <summary>The attribute key <see cref="Contact.LastName"/> is sent as; <see langword="null"/> to leave it out.</summary>
    public string? LastNameAttribute { get; set; } = "last_name";

    /// <summary>The attribute key <see cref="Contact.Phone"/> is sent as; <see langword="null"/> (the default) leaves it out, since Movio contact lists hold e-mail contacts.</summary>
    public string? PhoneAttribute { get; set; }

    /// <summary>The attribute key <see cref="Contact.ExternalId"/> is sent as; <see langword="null"/> (the default) leaves it out.</summary>
    public string? ExternalIdAttribute { get; set; }

    /// <summary>How long before its expiry a token is renewed. Default one minute.</summary>
    public TimeSpan TokenRefreshBeforeExpiry { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// After the token endpoint failed (its own retries spent: a refusal, a wrong answer, no answer), how long every
    /// request of this account fails at once with that failure instead of asking the endpoint again, so that one bad
    /// endpoint costs one token request's attempts per call, not one per request. Default 30 seconds; zero asks again
    /// on every request.
    /// </summary>
    public TimeSpan TokenFailureHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The token endpoint in use: <see cref="TokenEndpoint"/>, else the region's issuer.</summary>
    public Uri? EffectiveTokenEndpoint => TokenEndpoint ?? Region switch
    {
        MovioRegion.Eu => new Uri("https://auth-eu.eq.movio.co/oauth/token"),
        MovioRegion.Us => new Uri("https://auth-us.eq.movio.co/oauth/token"),
        _ => null,
    };

    /// <summary>The audience in use: <see cref="Audience"/>, else the base address without a trailing slash.</summary>
    public string? EffectiveAudience => !string.IsNullOrWhiteSpace(Audience) ? Audience : BaseAddress?.ToString().TrimEnd('/');

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (BaseAddress is null)
        {
            problems.Add($"{settingPath}:BaseAddress is required (the Movio API address of your region; Movio does not publish it, so ask Movio support or read it in the API reference).");
        }
        else
        {
            base.Validate(settingPath, problems);
        }

        Require(ClientId, $"{settingPath}:ClientId", "the client id from Movio EQ → Settings → API credentials", problems);
        Require(ClientSecret, $"{settingPath}:ClientSecret", "the client secret from Movio EQ → Settings → API credentials", problems);
        if (EffectiveTokenEndpoint is null)
        {
            problems.Add($"{settingPath}:Region is required (Eu or Us; it selects the token issuer), unless {settingPath}:TokenEndpoint is set.");
        }
        else if (BaseAddressRules.Check(EffectiveTokenEndpoint, $"{settingPath}:TokenEndpoint") is { } problem)
        {
            problems.Add(problem);
        }

        if (BatchSize is < 1 or > MaxContactsPerRequest)
        {
            problems.Add($"{settingPath}:BatchSize must be between 1 and {MaxContactsPerRequest}, but is {BatchSize}.");
        }

        if (new[] { FirstNameAttribute, LastNameAttribute, PhoneAttribute, ExternalIdAttribute }.Contains("email"))
        {
            problems.Add($"{settingPath}: no contact field can be sent as the attribute 'email', which is the contact's address.");
        }

        if (TokenFailureHold < TimeSpan.Zero)
        {
            problems.Add($"{settingPath}:TokenFailureHold cannot be negative.");
        }
    }

    /// <summary>Describes the options without the client secret.</summary>
    public override string ToString() => $"MovioOptions {{ BaseAddress = {BaseAddress}, Region = {Region}, ClientId = {ClientId}, ClientSecret = {Mask(ClientSecret)} }}";
}
