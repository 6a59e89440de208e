namespace ContactLists.Http;

/// <summary>Helpers for deciding whether a request may be sent again.</summary>
internal static class RequestSafety
{
    /// <summary>Set by the SDK on a request it builds itself (not through Refit), to say whether it may be repeated.</summary>
    public static readonly HttpRequestOptionsKey<bool> RepeatableKey = new("ContactLists.Repeatable");

    /// <summary>Where Refit puts the name of the interface method that built the request.</summary>
    public static readonly HttpRequestOptionsKey<string> RefitMethodKey = new(Refit.HttpRequestMessageOptions.MethodName);

    /// <summary>GET, HEAD, OPTIONS, PUT and DELETE are idempotent by definition; POST and PATCH are not.</summary>
    public static bool IsRepeatableByMethod(HttpRequestMessage request)
        => request.Method != HttpMethod.Post && request.Method != HttpMethod.Patch;
}
