namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>Settings of one account of the test provider (bound from <c>ContactLists:Test:{name}</c>).</summary>
public sealed class TestProviderOptions : ContactListClientOptions
{
    /// <summary>The most members the test provider takes in one request (deliberately not any real provider's limit).</summary>
    public const int MaxMembersPerRequest = 1000;

    /// <summary>Creates options with the test provider's defaults.</summary>
    public TestProviderOptions() => BaseAddress = new Uri("https://api.test-provider.example");

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

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        Require(ApiKey, $"{settingPath}:ApiKey", "the test provider's API key", problems);
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

    /// <inheritdoc/>
    public override string ToString() => $"TestProviderOptions {{ BaseAddress = {BaseAddress}, ApiKey = {Mask(ApiKey)}, BatchSize = {BatchSize} }}";
}
