namespace ContactLists.Providers.Whippy;

/// <summary>Settings of one Whippy account (bound from <c>ContactLists:Whippy:{name}</c>).</summary>
public sealed class WhippyOptions : ContactListClientOptions
{
    /// <summary>Whippy's documented API address, <c>https://api.whippy.co</c> (paths start with <c>/v1</c>).</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.whippy.co");

    /// <summary>The most contacts Whippy accepts in one request (create list, update list contacts).</summary>
    public const int MaxContactsPerRequest = 4000;

    /// <summary>The most opt-in channels Whippy accepts in one request.</summary>
    public const int MaxOptInChannels = 1000;

    /// <summary>Creates options with Whippy's documented defaults.</summary>
    public WhippyOptions() => BaseAddress = DefaultBaseAddress;

    /// <summary>Required: the organization's API key (Settings → Developers), sent as <c>X-WHIPPY-KEY</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Contacts per membership request; at most (and by default) 4000.</summary>
    public int BatchSize { get; set; } = MaxContactsPerRequest;

    /// <summary>Lists per page when listing lists (Whippy's default is 50).</summary>
    public int ListPageSize { get; set; } = 50;

    /// <summary>
    /// Writes allowed per <see cref="ContactListWriteWindow"/> to the contact-list endpoints. Whippy documents
    /// 10 write requests a minute for <c>v1/contacts/lists</c>.
    /// </summary>
    public int ContactListWritesPerWindow { get; set; } = 10;

    /// <summary>The window of <see cref="ContactListWritesPerWindow"/>: the documented minute plus one second of margin for clock and network jitter.</summary>
    public TimeSpan ContactListWriteWindow { get; set; } = TimeSpan.FromSeconds(61);

    /// <summary>Requests of any kind allowed per <see cref="RequestWindow"/>. Whippy documents 25 a second for standard endpoints.</summary>
    public int RequestsPerWindow { get; set; } = 25;

    /// <summary>The window of <see cref="RequestsPerWindow"/>: one second plus 50 ms of margin.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromMilliseconds(1050);

    /// <summary>Channel ids to opt added contacts in to (Whippy's <c>opt_in_to[].id</c>). Empty: not sent.</summary>
    public IList<string> OptInToChannelIds { get; } = new List<string>();

    /// <summary>Channel phone numbers to opt added contacts in to (Whippy's <c>opt_in_to[].phone</c>). Empty: not sent.</summary>
    public IList<string> OptInToChannelPhones { get; } = new List<string>();

    /// <summary>
    /// Whippy's <c>opt_in_to_all_channels</c>, sent with every add and replace. Default <see langword="false"/>: no
    /// contact is opted in to the organization's channels unless you say so. Whippy's own default, when the field is
    /// left out, is <see langword="true"/> ("opt in to all organization channels by default"), which would opt every
    /// synced contact in to SMS without their consent being checked; set this to <see langword="true"/> only when
    /// your contacts have given it.
    /// </summary>
    public bool OptInToAllChannels { get; set; }

    /// <summary>The colour given to lists created through the neutral client, such as <c>#ffeb3b</c>; <see langword="null"/> leaves it to Whippy.</summary>
    public string? NewListColor { get; set; }

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        Require(ApiKey, $"{settingPath}:ApiKey", "the Whippy API key, from Settings → Developers", problems);
        if (BatchSize is < 1 or > MaxContactsPerRequest)
        {
            problems.Add($"{settingPath}:BatchSize must be between 1 and {MaxContactsPerRequest}, but is {BatchSize}.");
        }

        if (ListPageSize < 1)
        {
            problems.Add($"{settingPath}:ListPageSize must be at least 1, but is {ListPageSize}.");
        }

        if (ContactListWritesPerWindow < 1 || ContactListWriteWindow <= TimeSpan.Zero || RequestsPerWindow < 1 || RequestWindow <= TimeSpan.Zero)
        {
            problems.Add($"{settingPath}: the pacing limits (ContactListWritesPerWindow, ContactListWriteWindow, RequestsPerWindow, RequestWindow) must be positive; set EnablePacing to false to turn pacing off.");
        }

        if (OptInToChannelIds.Count + OptInToChannelPhones.Count > MaxOptInChannels)
        {
            problems.Add($"{settingPath}: Whippy accepts at most {MaxOptInChannels} opt-in channels, but {OptInToChannelIds.Count + OptInToChannelPhones.Count} are set.");
        }
    }

    /// <summary>Describes the options without the API key.</summary>
    public override string ToString() => $"WhippyOptions {{ BaseAddress = {BaseAddress}, ApiKey = {Mask(ApiKey)}, BatchSize = {BatchSize}, EnablePacing = {EnablePacing} }}";
}
