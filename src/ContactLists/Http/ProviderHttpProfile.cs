namespace ContactLists.Http;

/// <summary>
/// What the shared HTTP pipeline needs to know about one provider: how it reports errors, request ids and
/// rate limits, which requests may be repeated, and how its documented rate limits pace requests.
/// A provider folder builds one; the pipeline itself is the same for every provider.
/// </summary>
internal sealed class ProviderHttpProfile
{
    public required string ProviderName { get; init; }

    /// <summary>Response headers that carry the provider's request id, tried in order.</summary>
    public IReadOnlyList<string> RequestIdHeaders { get; init; } = ["X-Request-Id", "Request-Id", "X-Correlation-Id"];

    /// <summary>Parses the messages out of the provider's documented error body; returns an empty list when it cannot.</summary>
    public Func<string, IReadOnlyList<string>> ParseErrorMessages { get; init; } = static _ => [];

    /// <summary>Reads the provider's rate-limit headers, if it sends any.</summary>
    public Func<HttpResponseMessage, RateLimitInfo?> ReadRateLimit { get; init; } = static _ => null;

    /// <summary>A provider-specific wait hint (besides the standard <c>Retry-After</c>), if it sends one.</summary>
    public Func<HttpResponseMessage, TimeSpan?> ReadProviderRetryDelay { get; init; } = static _ => null;

    /// <summary>
    /// Whether repeating this request is harmless (by the operation's meaning, not only its verb): reads, updates,
    /// deletes and membership changes are; a create is not. Defaults to "anything but POST and PATCH".
    /// </summary>
    public Func<HttpRequestMessage, bool> IsRepeatable { get; init; } = RequestSafety.IsRepeatableByMethod;

    /// <summary>
    /// Refuses a request that must never be sent (for example a filter-addressed PUT or DELETE without its filter,
    /// which would match every resource), by throwing before it leaves. Applies to the typed API too.
    /// </summary>
    public Action<HttpRequestMessage>? CheckRequest { get; init; }

    /// <summary>
    /// Whether an empty body is a documented answer to this request (besides 204, which always is). By default no:
    /// an empty success answer where a body is documented is refused as <see cref="UnexpectedAnswerProblem.Empty"/>.
    /// </summary>
    public Func<HttpRequestMessage, HttpResponseMessage, bool> AllowsEmptyAnswer { get; init; } = static (_, _) => false;

    /// <summary>
    /// Whether a success status is the one the provider documents for this request (for example Movio's 202 to a
    /// membership change). By default every 2xx is. Where the docs name one status, another one is refused as
    /// <see cref="UnexpectedAnswerProblem.UnexpectedStatus"/>: something other than the provider answered.
    /// </summary>
    public Func<HttpRequestMessage, System.Net.HttpStatusCode, bool> IsDocumentedSuccess { get; init; } = static (_, _) => true;

    /// <summary>Appended to the message of a 401/403, to tell the user what to check.</summary>
    public string? AuthenticationHint { get; init; }
}
