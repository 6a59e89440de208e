namespace ContactLists.Providers.SlickText;

/// <summary>Settings of one SlickText brand (bound from <c>ContactLists:SlickText:{name}</c>).</summary>
public sealed class SlickTextOptions : ContactListClientOptions
{
    /// <summary>SlickText's API address, <c>https://dev.slicktext.com</c> (the "dev" host is production; paths start with <c>/v1</c>).</summary>
    public static readonly Uri DefaultBaseAddress = new("https://dev.slicktext.com");

    /// <summary>The largest page SlickText documents.</summary>
    public const int MaxPageSize = 10_000;

    /// <summary>The largest membership batch the SDK sends (SlickText publishes no limit).</summary>
    public const int MaxContactsPerRequest = 1000;

    /// <summary>Creates options with SlickText's documented defaults.</summary>
    public SlickTextOptions() => BaseAddress = DefaultBaseAddress;

    /// <summary>Required: the brand's API key (Settings → API &amp; Webhooks → API Keys), sent as a bearer token. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The brand's numeric id (digits only, without the dashboard's letter prefix). When not set, it is read once from <c>GET /v1/brands</c>.</summary>
    public long? BrandId { get; set; }

    /// <summary>Items per page when reading lists and contacts. Default 100 (SlickText allows up to 10,000, but one client saw more than 100 refused elsewhere).</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Contacts per membership request; default 100, at most 1000.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>How many contacts of a batch are looked up or created at once.</summary>
    public int ResolveConcurrency { get; set; } = 4;

    /// <summary>Requests per <see cref="RequestWindow"/>: SlickText documents 4 a second or 240 a minute, measured over a minute (one snapshot says 8/480).</summary>
    public int RequestsPerWindow { get; set; } = 240;

    /// <summary>The window of <see cref="RequestsPerWindow"/>: a minute plus one second of margin.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromSeconds(61);

    /// <summary>The opt-in status given to contacts the SDK creates; <see langword="null"/> leaves SlickText's default (<c>not subscribed</c>).</summary>
    public string? NewContactOptInStatus { get; set; }

    /// <summary>
    /// Contacts per page when the SDK reads a list's members or the brand's contacts to find contact ids (instead of
    /// one lookup per contact). SlickText documents up to 10,000 a page; a production client pages <c>/contacts</c> by
    /// 250, and another saw more than 100 refused on <c>/messages</c>. Default 250, at most 10,000.
    /// </summary>
    public int ScanPageSize { get; set; } = 250;

    /// <summary>
    /// Which attributes are sent as custom fields. SlickText keys <c>custom_fields</c> by each field's
    /// <c>internal_name</c>; whether it refuses a contact with a key it does not know is not documented. Default
    /// <see cref="SlickTextCustomFields.KnownOnly"/>: the brand's custom fields are read once per client
    /// (<c>GET /v1/brands/{brand_id}/custom-fields</c>) and an attribute that is none of them (nor a standard field
    /// such as <c>city</c>) is left out and counted; <see cref="SlickTextCustomFields.SendAll"/> sends every other
    /// attribute as a custom field under its own name, without reading them.
    /// </summary>
    public SlickTextCustomFields CustomFields { get; set; } = SlickTextCustomFields.KnownOnly;

    /// <summary>
    /// The HTTP method of "remove contacts from lists", which no public source confirms. Default <c>DELETE</c>.
    /// Change it, with <see cref="RemoveContactsFromListsPath"/>, if SlickText's documentation says otherwise.
    /// </summary>
    public string RemoveContactsFromListsMethod { get; set; } = "DELETE";

    /// <summary>
    /// The path of "remove contacts from lists"; <c>{brand_id}</c> is replaced. Default <c>/v1/brands/{brand_id}/lists/contacts</c>,
    /// sent with the same array body as an add. A path holding <c>{contact_id}</c> and <c>{contact_list_id}</c> (such as
    /// <c>/v1/contacts/{contact_id}/lists/{contact_list_id}</c>, the form one production client uses) is sent once per
    /// contact and list, without a body, a 404 meaning the contact was not a member.
    /// </summary>
    public string RemoveContactsFromListsPath { get; set; } = "/v1/brands/{brand_id}/lists/contacts";

    internal static bool IsPerMembershipPath(string path)
        => path.Contains("{contact_id}", StringComparison.Ordinal) && path.Contains("{contact_list_id}", StringComparison.Ordinal);

    internal bool UsesDocumentedRemove => RemoveContactsFromListsMethod == "DELETE" && RemoveContactsFromListsPath == "/v1/brands/{brand_id}/lists/contacts";

    /// <summary>
    /// The time zone in which SlickText's zone-less times (such as a list's creation time, <c>"2025-03-04 09:12:55"</c>)
    /// are read: an IANA or Windows zone id such as <c>America/New_York</c>. SlickText documents none; empty (the default)
    /// reads them as UTC.
    /// </summary>
    public string? TimeZoneId { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        if (ScanPageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"{settingPath}:ScanPageSize must be between 1 and {MaxPageSize}, but is {ScanPageSize}.");
        }

        ZonelessTimes.Validate(TimeZoneId, settingPath, problems);
        Require(ApiKey, $"{settingPath}:ApiKey", "the brand's API key from SlickText: Settings → API & Webhooks → API Keys", problems);
        if (BrandId is <= 0)
        {
            problems.Add($"{settingPath}:BrandId must be the brand's positive numeric id (digits only), but is {BrandId}.");
        }

        if (PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"{settingPath}:PageSize must be between 1 and {MaxPageSize}, but is {PageSize}.");
        }

        if (BatchSize is < 1 or > MaxContactsPerRequest)
        {
            problems.Add($"{settingPath}:BatchSize must be between 1 and {MaxContactsPerRequest}, but is {BatchSize}.");
        }

        if (ResolveConcurrency < 1 || RequestsPerWindow < 1 || RequestWindow <= TimeSpan.Zero)
        {
            problems.Add($"{settingPath}: ResolveConcurrency, RequestsPerWindow and RequestWindow must be positive.");
        }

        if (!RemoveContactsFromListsPath.StartsWith('/') || RemoveContactsFromListsMethod is not ("DELETE" or "POST" or "PUT"))
        {
            problems.Add($"{settingPath}: RemoveContactsFromListsPath must start with '/' and RemoveContactsFromListsMethod be DELETE, POST or PUT.");
        }
    }

    /// <summary>Describes the options without the API key.</summary>
    public override string ToString() => $"SlickTextOptions {{ BaseAddress = {BaseAddress}, BrandId = {BrandId}, ApiKey = {Mask(ApiKey)} }}";
}

/// <summary>Which attributes SlickText contacts are sent as custom fields (<see cref="SlickTextOptions.CustomFields"/>).</summary>
public enum SlickTextCustomFields
{
    /// <summary>Only the brand's own custom fields (read once per client); others are left out and counted.</summary>
    KnownOnly,

    /// <summary>Every attribute that is not a standard field, under its own name, without reading the brand's fields.</summary>
    SendAll,
}
