namespace ContactLists.Providers.Acme;

/// <summary>Settings of one account of the Acme (bound from <c>ContactLists:Test:{name}</c>).</summary>
public sealed class AcmeOptions : ContactListClientOptions
{
    /// <summary>The most members the Acme takes in one request (deliberately not any real provider's limit).</summary>
    public const int MaxMembersPerRequest = 1000;

    /// <summary>The Acme wire value <c>AcmeOptions</c>.</summary>
    public AcmeOptions() => BaseAddress = new Uri("https://api.acme.example");

    /// <summary>Required: sent as <c>X-Api-Key</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Members per membership request; at most (and by default) <see cref="MaxMembersPerRequest"/>.</summary>
    public int BatchSize { get; set; } = MaxMembersPerRequest;

    /// <summary>Lists or members per page when reading.</summary>
    public int PageSize { get; set; } = 100;

    /// <summary>Requests allowed per <see cref="RequestWindow"/>.</summary>
    public int RequestsPerWindow { get; set; } = 5;

    /// <summary>The window of <see cref="RequestsPerWindow"/>.</summary>
    public TimeSpan RequestWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A list setting, to test binding of collections.</summary>
    public IList<string> Tags { get; } = new List<string>();

    /// <summary>The Acme wire value <c>Validate</c>.</summary>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        Require(ApiKey, $"{settingPath}:ApiKey", "the Acme's API key", problems);
        if (BatchSize is < 1 or > MaxMembersPerRequest)
        {
            problems.Add($"{settingPath}:BatchSize must be between 1 and {MaxMembersPerRequest}, but is {BatchSize}.");
        }

        if (PageSize < 1)
        {
            problems.Add($"{settingPath}:PageSize must be at least 1, but is {PageSize}.");
        }

        if (RequestsPerWindow < 1 || RequestWindow <= TimeSpan.Zero)
        {
            problems.Add($"{settingPath}: the pacing limits (RequestsPerWindow, RequestWindow) must be positive; set EnablePacing to false to turn pacing off.");
        }
    }

    /// <summary>The Acme wire value <c>ToString</c>.</summary>
    public override string ToString() => $"AcmeOptions {{ BaseAddress = {BaseAddress}, ApiKey = {Mask(ApiKey)}, BatchSize = {BatchSize} }}";
}
