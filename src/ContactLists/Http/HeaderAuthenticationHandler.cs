namespace ContactLists.Http;

/// <summary>
/// Adds static credential headers (an API key, a login) to every request. The values live only here and in the
/// request, and only while the request is being sent: they are removed once the attempt is answered, so that a retry
/// of the same request object, a handler outside this one, or the response's <c>RequestMessage</c> never carries them.
/// They are never logged nor put in messages.
/// </summary>
internal sealed class HeaderAuthenticationHandler(IReadOnlyList<KeyValuePair<string, string>> headers) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        foreach (var (name, value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var (name, _) in headers)
            {
                request.Headers.Remove(name);
            }
        }
    }
}
