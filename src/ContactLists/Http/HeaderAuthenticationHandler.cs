namespace ContactLists.Http;

/// <summary>
/// Adds static credential headers (an API key, a login) to every request. The values live only here and in the
/// request; they are never logged (the client's logged headers are all redacted) nor put in messages.
/// </summary>
internal sealed class HeaderAuthenticationHandler(IReadOnlyList<KeyValuePair<string, string>> headers) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
