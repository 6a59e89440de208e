namespace ContactLists.Providers.Messengeo;

/// <summary>Where a file import's <c>name</c> and <c>ignoreFirstLine</c> go (Messengeo's sources disagree).</summary>
public enum MessengeoImportParameterPlacement
{
    /// <summary>As parts of the multipart body, next to the file, as Messengeo's own example shows (the default).</summary>
    Body,

    /// <summary>In the query string, the file alone in the body, as Digitaleo's Python wrapper does for uploads.</summary>
    Query,
}

/// <summary>How a file import's <c>ignoreFirstLine</c> flag is written (the documentation shows <c>true</c>/<c>false</c>).</summary>
public enum MessengeoImportFlagEncoding
{
    /// <summary><c>true</c> / <c>false</c>, as Messengeo's documentation writes it (the default).</summary>
    TrueFalse,

    /// <summary><c>1</c> / <c>0</c>.</summary>
    OneZero,
}

/// <summary>How contacts are looked up by <c>mobile</c> or <c>email</c>: whether one filter may carry several values.</summary>
/// <remarks>
/// Messengeo documents comma-separated values for the <c>id</c> filter; whether <c>mobile</c> and <c>email</c> read a
/// comma the same way is not confirmed (see docs/providers/messengeo.md).
/// </remarks>
public enum MessengeoContactLookup
{
    /// <summary>
    /// Many values per request, checked the first time with a contact known to exist among them: if it does not come
    /// back, the filter read the comma literally, and every later lookup is one contact per request (the default).
    /// </summary>
    Auto,

    /// <summary>Many values per request (<c>mobile=+33…,+33…</c>), without a check: for accounts where this is known to work.</summary>
    ManyPerRequest,

    /// <summary>One contact per request.</summary>
    OnePerRequest,
}

/// <summary>Settings of one Messengeo (Digitaleo) account (bound from <c>ContactLists:Messengeo:{name}</c>).</summary>
public sealed class MessengeoOptions : ContactListClientOptions
{
    /// <summary>The contacts API address, <c>https://contacts.messengeo.net</c> (paths start with <c>/rest</c>).</summary>
    public static readonly Uri DefaultBaseAddress = new("https://contacts.messengeo.net");

    /// <summary>The OAuth2 token endpoint, <c>https://oauth.messengeo.net/token</c>.</summary>
    public static readonly Uri DefaultTokenEndpoint = new("https://oauth.messengeo.net/token");

    /// <summary>The largest file Messengeo imports: 20 MB.</summary>
    public const long MaxImportFileBytes = 20L * 1024 * 1024;

    /// <summary>The largest membership batch the SDK sends (no limit is published).</summary>
    public const int MaxContactsPerRequest = 1000;

    /// <summary>Creates options with Messengeo's documented defaults.</summary>
    public MessengeoOptions() => BaseAddress = DefaultBaseAddress;

    /// <summary>The token endpoint; default <see cref="DefaultTokenEndpoint"/>.</summary>
    public Uri TokenEndpoint { get; set; } = DefaultTokenEndpoint;

    /// <summary>Required: the client id (Digitaleo web app → Parameters → API).</summary>
    public string? ClientId { get; set; }

    /// <summary>Required: the client secret. Never logged.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>Items per read; default 100 (Messengeo publishes no default or maximum, so it is always sent).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Contacts per membership request (and per contact creation); default 100, at most 1000.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How many contacts of a batch are looked up at once.</summary>
    public int ResolveConcurrency { get; set; } = 4;

    /// <summary>How contacts without an id are looked up: several per request when the filters allow it (the default, <see cref="MessengeoContactLookup.Auto"/>, checks that they do), or one by one.</summary>
    public MessengeoContactLookup ContactLookup { get; set; } = MessengeoContactLookup.Auto;

    /// <summary>Mobile numbers or e-mails per multi-value lookup (and ids per existence check); default 50, at most 1000.</summary>
    public int LookupValuesPerRequest { get; set; } = 50;

    /// <summary>
    /// How old a contact id the SDK learned may be before it is checked again (many ids in one <c>id</c>-filtered read)
    /// before use: a contact deleted in Messengeo's web app would otherwise be sent by a stale id. Default one hour.
    /// </summary>
    public TimeSpan VerifyKnownContactsAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The contact filter that selects a list's members, for <c>GetContactsAsync</c>: contacts carry <c>listIds</c>, and
    /// any attribute filters, but reading a list's members this way is not confirmed. Default <c>listIds</c>.
    /// </summary>
    public string MembersFilter { get; set; } = "listIds";

    /// <summary>Whether contacts are looked up by <c>mobile</c> (a filter that follows the API's model but is not confirmed). Default on.</summary>
    public bool FindContactsByMobile { get; set; } = true;

    /// <summary>
    /// Where a file import sends <c>name</c> and <c>ignoreFirstLine</c>: in the multipart body (the default, as Messengeo's
    /// example shows) or in the query string (as Digitaleo's Python wrapper does). Not confirmed; see docs/providers/messengeo.md.
    /// </summary>
    public MessengeoImportParameterPlacement ImportParameterPlacement { get; set; } = MessengeoImportParameterPlacement.Body;

    /// <summary>How <c>ignoreFirstLine</c> is written: <c>true</c>/<c>false</c> (the default, as documented) or <c>1</c>/<c>0</c>.</summary>
    public MessengeoImportFlagEncoding ImportFirstLineFlag { get; set; } = MessengeoImportFlagEncoding.TrueFalse;

    /// <summary>How often a file import's progress is read.</summary>
    public TimeSpan ImportPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long <c>WaitForCompletionAsync</c> waits for an import by default.</summary>
    public TimeSpan ImportTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long before its expiry a token is renewed (Digitaleo's own clients use 10 seconds).</summary>
    public TimeSpan TokenRefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// After the token endpoint failed (its own retries spent: a refusal, a wrong answer, no answer), how long every
    /// request of this account fails at once with that failure instead of asking the endpoint again, so that one bad
    /// endpoint costs one token request's attempts per call, not one per request. Default 30 seconds; zero asks again
    /// on every request.
    /// </summary>
    public TimeSpan TokenFailureHold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The time zone in which Messengeo's zone-less times (such as a list's creation time, <c>"2025-03-04 09:12:55"</c>)
    /// are read: an IANA or Windows zone id such as <c>America/New_York</c>. Messengeo documents none; empty (the default)
    /// reads them as UTC.
    /// </summary>
    public string? TimeZoneId { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        ZonelessTimes.Validate(TimeZoneId, settingPath, problems);
        Require(ClientId, $"{settingPath}:ClientId", "the client id from the Digitaleo web app: Parameters → API", problems);
        Require(ClientSecret, $"{settingPath}:ClientSecret", "the client secret from the Digitaleo web app: Parameters → API", problems);
        if (BaseAddressRules.Check(TokenEndpoint, $"{settingPath}:TokenEndpoint") is { } problem)
        {
            problems.Add(problem);
        }

        if (PageSize < 1 || BatchSize is < 1 or > MaxContactsPerRequest || ResolveConcurrency < 1)
        {
            problems.Add($"{settingPath}: PageSize and ResolveConcurrency must be positive and BatchSize between 1 and {MaxContactsPerRequest}.");
        }

        if (!Enum.IsDefined(ContactLookup) || LookupValuesPerRequest is < 1 or > MaxContactsPerRequest || VerifyKnownContactsAfter < TimeSpan.Zero)
        {
            problems.Add($"{settingPath}: ContactLookup must be Auto, ManyPerRequest or OnePerRequest, LookupValuesPerRequest between 1 and {MaxContactsPerRequest}, and VerifyKnownContactsAfter not negative.");
        }

        if (!Enum.IsDefined(ImportParameterPlacement) || !Enum.IsDefined(ImportFirstLineFlag))
        {
            problems.Add($"{settingPath}: ImportParameterPlacement must be Body or Query, and ImportFirstLineFlag TrueFalse or OneZero.");
        }

        if (ImportPollInterval <= TimeSpan.Zero || ImportTimeout <= TimeSpan.Zero || string.IsNullOrWhiteSpace(MembersFilter))
        {
            problems.Add($"{settingPath}: ImportPollInterval and ImportTimeout must be positive and MembersFilter set.");
        }

        if (TokenFailureHold < TimeSpan.Zero)
        {
            problems.Add($"{settingPath}:TokenFailureHold cannot be negative.");
        }
    }

    /// <summary>Describes the options without the client secret.</summary>
    public override string ToString() => $"MessengeoOptions {{ BaseAddress = {BaseAddress}, ClientId = {ClientId}, ClientSecret = {Mask(ClientSecret)} }}";
}
