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
    /// The provider's Refit methods (by name) whose requests may be sent again, by the operation's meaning rather
    /// than its verb: reads, updates, deletes, upserts and membership changes.
    /// </summary>
    public IReadOnlySet<string> RepeatableOperations { get; init; } = new HashSet<string>();

    /// <summary>
    /// The provider's Refit methods whose requests must not be sent twice (creates, merges, imports). Every method of
    /// the provider's Refit interface is in exactly one of the two sets (a convention test checks).
    /// </summary>
    public IReadOnlySet<string> UnrepeatableOperations { get; init; } = new HashSet<string>();

    /// <summary>For a request neither Refit nor the SDK classified (see <see cref="IsRepeatable"/>): by default anything but POST and PATCH.</summary>
    public Func<HttpRequestMessage, bool> IsRepeatableOtherwise { get; init; } = RequestSafety.IsRepeatableByMethod;

    /// <summary>
    /// Whether repeating this request is harmless: as the SDK declared on a request it built itself
    /// (<see cref="RequestSafety.RepeatableKey"/>); else by the Refit method that sent it (Refit names it in the
    /// request's options), where a method in neither set is not repeated; else <see cref="IsRepeatableOtherwise"/>.
    /// </summary>
    public bool IsRepeatable(HttpRequestMessage request)
    {
        if (request.Options.TryGetValue(RequestSafety.RepeatableKey, out var declared))
        {
            return declared;
        }

        return request.Options.TryGetValue(RequestSafety.RefitMethodKey, out var method) && method is not null
            ? RepeatableOperations.Contains(method)
            : IsRepeatableOtherwise(request);
    }

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
    public Func<HttpRequestMessage, System.Net.HttpStatusCode, ContactListClientOptions?, bool> IsDocumentedSuccess { get; init; } = static (_, _, _) => true;

    /// <summary>
    /// For providers whose success bodies carry nothing the adapter reads, but which can still be told from something
    /// else (an error object answered 200, an array): why a well-formed JSON body is not the provider's answer, or
    /// <see langword="null"/> when it may be. Such an answer is refused as <see cref="UnexpectedAnswerProblem.UnexpectedShape"/>.
    /// </summary>
    public Func<HttpRequestMessage, HttpResponseMessage, ReadOnlyMemory<byte>, ContactListClientOptions?, string?>? CheckAnswer { get; init; }

    /// <summary>
    /// The path prefix the provider prints as part of its base address and the Refit paths already carry (Whippy
    /// <c>/v1</c>, SlickText <c>/v1</c>, Octopush <c>/v1/public</c>, Messengeo <c>/rest</c>); a base address that ends
    /// with it is used without it (<see cref="BaseAddressRules.Effective"/>). <see langword="null"/> when there is none.
    /// </summary>
    public string? DocumentedPathPrefix { get; init; }

    /// <summary>Appended to the message of a 401/403, to tell the user what to check.</summary>
    public string? AuthenticationHint { get; init; }
}
