namespace ContactLists;

/// <summary>How strictly the SDK checks a phone number before sending it (with libphonenumber).</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<PhoneNumberCheck>))]
public enum PhoneNumberCheck
{
    /// <summary>
    /// The default: the number must be in international form, start with a country code in use, and have a length
    /// that numbers of that country have. Ranges reserved for fiction and testing (such as +44 7700 900xxx or
    /// +1 555 01xx) and ranges assigned after the bundled number plans pass; whether a number is in service is the provider's business.
    /// </summary>
    Possible,

    /// <summary>
    /// Also require a number range libphonenumber knows as assigned for the number's country: catches more typos, but
    /// refuses the fiction and test ranges and any range assigned after the SDK's libphonenumber release.
    /// </summary>
    Valid,
}

/// <summary>Settings every provider client has. Each provider's options class derives from this one.</summary>
public abstract class ContactListClientOptions
{
    /// <summary>
    /// The provider's API address. Defaults to the provider's documented address where there is one.
    /// Must be https, unless it is a loopback address (such as the emulator's). Written with or without the path
    /// prefix the provider prints (Whippy <c>/v1</c>, SlickText <c>/v1</c>, Octopush <c>/v1/public</c>, Messengeo
    /// <c>/rest</c>): both forms send the same requests.
    /// </summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>
    /// Whether requests are paced on the client side to the provider's documented rate limits, so that a large
    /// operation waits its turn instead of meeting 429 answers. On by default.
    /// </summary>
    public bool EnablePacing { get; set; } = true;

    /// <summary>
    /// The account's identifier in a shared rate-limit store or token cache (see docs/scale-out.md). Default
    /// <see langword="null"/>: a one-way fingerprint of the base address and the credential identity, the same in
    /// every process configured with the same account. Set it when processes reach one account through different
    /// addresses (a proxy, say); it names keys in the store, so it must not be a secret.
    /// </summary>
    public string? SharedAccountId { get; set; }

    /// <summary>
    /// The longest wait a 429 or 503 answer may ask for (by <c>Retry-After</c> or a provider header) and still be
    /// retried automatically; a longer one surfaces at once as <see cref="ContactListRateLimitedException"/> with
    /// <see cref="ContactListRateLimitedException.RetryAfter"/>. Default 20 seconds.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How strictly phone numbers are checked before they are sent. Default <see cref="PhoneNumberCheck.Possible"/>.</summary>
    public PhoneNumberCheck PhoneNumberCheck { get; set; } = PhoneNumberCheck.Possible;

    /// <summary>
    /// The region national phone numbers belong to (an ISO 3166 code such as <c>GB</c> or <c>FR</c>): with it,
    /// <c>07911 123456</c> is read as <c>+447911123456</c>. Default <see langword="null"/>: only international numbers
    /// (a leading <c>+</c>) are accepted, and a national one is refused as an invalid phone. A call can set its own
    /// (<see cref="BulkOptions.DefaultRegion"/>).
    /// </summary>
    public string? DefaultRegion { get; set; }

    /// <summary>
    /// Where attributes go: attribute key (any case) → the provider field it is sent as, such as <c>Tier</c> →
    /// <c>param1</c> (Octopush) or <c>field01</c> (Messengeo). An attribute whose key already names one of the
    /// provider's fields needs no entry. See each provider's fields with <see cref="IContactListClient.GetFieldsAsync"/>
    /// and in docs/providers/. A call can add its own (<see cref="BulkOptions.AttributeMap"/>).
    /// </summary>
    public IDictionary<string, string> AttributeMap { get; set; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// What is done with an attribute the provider has no place for. Default <see cref="UnplacedAttributeHandling.LeaveOut"/>:
    /// the contact is sent without it, and the attribute is counted in <see cref="BulkResult.DroppedFields"/>;
    /// <see cref="UnplacedAttributeHandling.Reject"/> refuses the contact instead.
    /// </summary>
    public UnplacedAttributeHandling UnplacedAttributes { get; set; } = UnplacedAttributeHandling.LeaveOut;

    /// <summary>The default of <see cref="MaxResponseBytes"/>: 4 MiB.</summary>
    public const long DefaultMaxResponseBytes = 4L * 1024 * 1024;

    /// <summary>The default of <see cref="MaxPageResponseBytes"/>: 32 MiB.</summary>
    public const long DefaultMaxPageResponseBytes = 32L * 1024 * 1024;

    /// <summary>
    /// The largest answer body accepted for a write (create, update, delete, membership change). A larger one is
    /// refused with <see cref="ContactListUnexpectedAnswerException"/> (<see cref="UnexpectedAnswerProblem.TooLarge"/>)
    /// without being read whole. Default 4 MiB.
    /// </summary>
    public long MaxResponseBytes { get; set; } = DefaultMaxResponseBytes;

    /// <summary>The largest answer body accepted for a read (a list, a page of lists or contacts). Default 32 MiB.</summary>
    public long MaxPageResponseBytes { get; set; } = DefaultMaxPageResponseBytes;

    /// <summary>The default of <see cref="MaxListNameLength"/> where a provider documents no limit: 255 characters.</summary>
    public const int DefaultMaxListNameLength = 255;

    /// <summary>
    /// The longest list name the SDK sends (create, rename, merge, import); a longer one is refused before any request.
    /// <see langword="null"/> (the default): the provider's documented limit (Octopush: 30), else
    /// <see cref="DefaultMaxListNameLength"/>. It cannot be set above a documented limit.
    /// </summary>
    public int? MaxListNameLength { get; set; }

    /// <summary>Adds this class's problems with the settings to <paramref name="problems"/>; derived classes add theirs.</summary>
    /// <param name="settingPath">The configuration path of these options, such as <c>ContactLists:Whippy:marketing</c>, to name settings in messages.</param>
    /// <param name="problems">Where to add problems.</param>
    protected internal virtual void Validate(string settingPath, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (BaseAddressRules.Check(BaseAddress, $"{settingPath}:BaseAddress") is { } problem)
        {
            problems.Add(problem);
        }

        if (!Enum.IsDefined(PhoneNumberCheck))
        {
            problems.Add($"{settingPath}:PhoneNumberCheck must be Possible or Valid, but is {PhoneNumberCheck}.");
        }

        if (MaxRetryAfter < TimeSpan.Zero)
        {
            problems.Add($"{settingPath}:MaxRetryAfter cannot be negative.");
        }

        if (MaxResponseBytes < 1024)
        {
            problems.Add($"{settingPath}:MaxResponseBytes must be at least 1024 bytes, but is {MaxResponseBytes}.");
        }

        if (DefaultRegion is not null && !Identity.ContactFieldRules.IsKnownRegion(DefaultRegion))
        {
            problems.Add($"{settingPath}:DefaultRegion must be an ISO 3166 region code libphonenumber knows (such as GB, FR, US), but is '{DefaultRegion}'.");
        }

        if (AttributeMap.Any(m => string.IsNullOrWhiteSpace(m.Key) || string.IsNullOrWhiteSpace(m.Value)))
        {
            problems.Add($"{settingPath}:AttributeMap entries need an attribute key and a field name, neither empty.");
        }

        if (!Enum.IsDefined(UnplacedAttributes))
        {
            problems.Add($"{settingPath}:UnplacedAttributes must be LeaveOut or Reject, but is {UnplacedAttributes}.");
        }

        if (MaxListNameLength is < 1)
        {
            problems.Add($"{settingPath}:MaxListNameLength must be at least 1, but is {MaxListNameLength}.");
        }

        if (MaxPageResponseBytes < 1024)
        {
            problems.Add($"{settingPath}:MaxPageResponseBytes must be at least 1024 bytes, but is {MaxPageResponseBytes}.");
        }
    }

    /// <summary>Checks that a secret setting is present.</summary>
    /// <param name="value">The setting's value.</param>
    /// <param name="settingPath">The setting's configuration path, for the message.</param>
    /// <param name="what">What the setting is, for the message.</param>
    /// <param name="problems">Where to add the problem.</param>
    protected static void Require(string? value, string settingPath, string what, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{settingPath} is required ({what}).");
        }
    }

    /// <summary>Masks a secret for <c>ToString()</c>: says only whether it is set.</summary>
    /// <param name="secret">The secret.</param>
    protected static string Mask(string? secret) => string.IsNullOrEmpty(secret) ? "(not set)" : "(set, hidden)";
}
