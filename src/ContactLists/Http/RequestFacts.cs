namespace ContactLists.Http;

/// <summary>Facts about a request that the handlers of the pipeline share (kept here so that none depends on another for them).</summary>
internal static class RequestFacts
{
    /// <summary>The request's path, for logs and messages: never its query, which may hold a secret.</summary>
    /// <param name="request">The request.</param>
    public static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? "(no uri)";

    /// <summary>Whether a transport failure happened before the request could reach the server (so it cannot have been applied).</summary>
    /// <param name="exception">The failure.</param>
    public static bool NeverReachedServer(HttpRequestException exception)
        => exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError;
}
