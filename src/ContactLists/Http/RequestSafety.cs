namespace ContactLists.Http;

/// <summary>Helpers for deciding whether a request may be sent again.</summary>
internal static class RequestSafety
{
    /// <summary>GET, HEAD, OPTIONS, PUT and DELETE are idempotent by definition; POST and PATCH are not.</summary>
    public static bool IsRepeatableByMethod(HttpRequestMessage request)
        => request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch;
}
