using System.Net;

namespace ContactLists;

/// <summary>What a provider answered to a failed request, as carried by <see cref="ContactListException"/>.</summary>
/// <param name="Provider">The provider's name.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no answer came.</param>
/// <param name="RequestId">The provider's request id, when sent.</param>
/// <param name="Body">The error body as text, when sent.</param>
/// <param name="Messages">The messages parsed from the provider's documented error body.</param>
/// <param name="RateLimit">The rate-limit state reported with the response.</param>
public sealed record ProviderError(
    string Provider,
    HttpStatusCode? StatusCode,
    string? RequestId,
    string? Body,
    IReadOnlyList<string> Messages,
    RateLimitInfo? RateLimit = null)
{
    /// <summary>No provider answer is known.</summary>
    public static ProviderError Unknown { get; } = new("unknown", null, null, null, []);

    /// <summary>No answer came from <paramref name="provider"/>.</summary>
    /// <param name="provider">The provider's name.</param>
    public static ProviderError NoResponse(string provider) => new(provider, null, null, null, []);
}

/// <summary>Rate-limit state a provider reported with a response, in one provider-neutral shape.</summary>
/// <param name="Limit">Requests allowed per window, when reported.</param>
/// <param name="Remaining">Requests left in the current window, when reported.</param>
/// <param name="ResetAfter">How long until the window resets or the caller may retry, when reported.</param>
public sealed record RateLimitInfo(long? Limit, long? Remaining, TimeSpan? ResetAfter);
