using System.Runtime.ExceptionServices;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using ContactLists.Sharing;

namespace ContactLists.Http.OAuth2;

/// <summary>
/// The client-credentials access token of one registered account: fetched when first needed, cached until
/// shortly before it expires, fetched by a single request however many calls need it at once, and fetched again
/// when the API refuses it. The secret and the token never appear in a message or a log.
/// </summary>
internal sealed class OAuth2TokenSource(string providerName, Func<HttpClient> tokenClient, Func<OAuth2ClientCredentials> credentials, TimeProvider timeProvider)
{
    private readonly object _gate = new();
    private AccessToken? _current;
    private Task<AccessToken>? _refresh;
    private (ExceptionDispatchInfo Failure, DateTimeOffset Until)? _failed;

    /// <summary>The account, as a shared token cache knows it.</summary>
    public ProviderAccount Account { get; init; } = new(providerName, providerName, providerName);

    /// <summary>Where tokens are shared with other processes; by default nowhere (each process fetches its own).</summary>
    public ITokenCache SharedCache { get; init; } = InProcessTokenCache.Instance;

    /// <summary>How many token requests were made (for diagnostics and tests).</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    private int _tokenRequests;

    /// <summary>A valid access token: the cached one, or a new one.</summary>
    public Task<string> GetTokenAsync(CancellationToken cancellationToken) => GetTokenAsync(rejected: null, cancellationToken);

    /// <summary>A token other than <paramref name="rejected"/>, which the API refused: forgets it and fetches anew (once for all callers).</summary>
    public Task<string> RenewAsync(string rejected, CancellationToken cancellationToken) => GetTokenAsync(rejected, cancellationToken);

    private async Task<string> GetTokenAsync(string? rejected, CancellationToken cancellationToken)
    {
        Task<AccessToken> pending;
        lock (_gate)
        {
            if (_current is { } current && current.Value != rejected && timeProvider.GetUtcNow() < current.RefreshAt)
            {
                return current.Value;
            }

            // The endpoint failed a moment ago, after its own attempts: every request meanwhile fails the same way.
            if (_failed is { } failed && timeProvider.GetUtcNow() < failed.Until)
            {
                failed.Failure.Throw();
            }

            // One request serves every caller waiting now; it is not tied to any one caller's cancellation. A fetch
            // that has completed (even one that completed synchronously, before this assignment) is never reused:
            // its token was found above to be missing, rejected or stale, or it failed.
            if (_refresh is null || _refresh.IsCompleted)
            {
                _refresh = FetchAsync(rejected ?? _current?.Value);
            }

            pending = _refresh;
        }

        return (await pending.WaitAsync(cancellationToken).ConfigureAwait(false)).Value;
    }

    /// <summary>
    /// Gets a token from the shared cache (which fetches one when it has none that is usable) and caches it here. A
    /// failed fetch caches nothing: the next caller asks again. The token this process holds now is passed as
    /// refused: it was refused, or is due for refresh, so the cache must not hand it back.
    /// </summary>
    private async Task<AccessToken> FetchAsync(string? unusable)
    {
        AccessToken token;
        try
        {
            token = await SharedCache.GetOrFetchAsync(Account, unusable, _ => RequestTokenAsync(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ContactListException ex)
        {
            // Settled by the token pipeline (or refused): held for FailureHold, so that the requests of this call, and of
            // the next few, do not each spend the endpoint's attempts again.
            lock (_gate)
            {
                _failed = (ExceptionDispatchInfo.Capture(ex), timeProvider.GetUtcNow() + credentials().FailureHold);
            }

            throw;
        }

        lock (_gate)
        {
            _current = token;
            _failed = null;
        }

        return token;
    }

    private async Task<AccessToken> RequestTokenAsync()
    {
        var settings = credentials();
        Interlocked.Increment(ref _tokenRequests);
        var form = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrEmpty(settings.Audience))
        {
            form.Add(new("audience", settings.Audience));
        }

        if (!string.IsNullOrEmpty(settings.Scope))
        {
            form.Add(new("scope", settings.Scope));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, settings.TokenEndpoint);
        if (settings.ClientAuthentication == OAuth2ClientAuthentication.BasicHeader)
        {
            // Exactly "id:secret", as the providers' docs show it, and no trailing newline (unlike `echo ... | base64`).
            var pair = settings.ClientId + ":" + settings.ClientSecret;
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        else
        {
            form.Add(new("client_id", settings.ClientId));
            form.Add(new("client_secret", settings.ClientSecret));
        }

        request.Content = new FormUrlEncodedContent(form);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        HttpResponseMessage response;
        try
        {
            response = await tokenClient().SendAsync(request, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ContactListException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            var detail = ex.ErrorMessages.Count > 0 ? ": " + string.Join("; ", ex.ErrorMessages) : string.Empty;
            throw new ContactListAuthenticationException(
                $"{providerName} refused the client credentials of client id '{settings.ClientId}' at its token endpoint ({(int)ex.StatusCode!}{detail}). Check the client id and secret.",
                new ProviderError(providerName, ex.StatusCode, ex.RequestId, ex.ErrorBody, ex.ErrorMessages));
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            OAuth2TokenResponse? token = null;
            try
            {
                token = JsonSerializer.Deserialize(body, OAuth2JsonContext.Default.OAuth2TokenResponse);
            }
            catch (JsonException)
            {
                // Reported below without the body, which would hold a token if it were one.
            }

            if (string.IsNullOrEmpty(token?.AccessToken))
            {
                throw new ContactListAuthenticationException(
                    $"{providerName}'s token endpoint answered {(int)response.StatusCode} without an access_token.",
                    new ProviderError(providerName, response.StatusCode, null, null, []));
            }

            var now = timeProvider.GetUtcNow();
            var lifetime = TimeSpan.FromSeconds(token.ExpiresIn is > 0 ? token.ExpiresIn.Value : 3600);
            // Refresh a little early, but never so early that a short-lived token is refreshed on every call.
            var early = settings.RefreshBeforeExpiry < lifetime / 2 ? settings.RefreshBeforeExpiry : lifetime / 2;
            return new AccessToken(token.AccessToken, now + lifetime - early);
        }
    }

    /// <summary>Parses an OAuth2 error body (<c>{error, error_description}</c>) into messages.</summary>
    internal static string[] ParseErrors(string body)
    {
        var error = JsonSerializer.Deserialize(body, OAuth2JsonContext.Default.OAuth2ErrorResponse);
        return new[] { error?.Error, error?.ErrorDescription }.OfType<string>().Where(s => s.Length > 0).ToArray();
    }
}

/// <summary>
/// Puts the account's bearer token on every request; when the API answers 401, fetches a new token once and
/// sends the request again before the error surfaces. The token is on the request only while it is sent (see
/// <see cref="HeaderAuthenticationHandler"/>).
/// </summary>
internal sealed class OAuth2BearerHandler(OAuth2TokenSource tokens) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendWithTokenAsync(request, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            request.Headers.Authorization = null;
        }
    }

    private async Task<HttpResponseMessage> SendWithTokenAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var token = await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        response.Dispose();
        var renewed = await tokens.RenewAsync(token, cancellationToken).ConfigureAwait(false);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}
