namespace ContactLists.Sharing;

/// <summary>An OAuth2 access token and the moment it should be replaced (shortly before it expires).</summary>
public sealed class AccessToken
{
    /// <summary>Creates a token.</summary>
    /// <param name="value">The token, as sent in <c>Authorization: Bearer</c>.</param>
    /// <param name="refreshAt">When to stop using it and fetch another.</param>
    public AccessToken(string value, DateTimeOffset refreshAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        Value = value;
        RefreshAt = refreshAt;
    }

    /// <summary>The token. Never logged; <see cref="ToString"/> leaves it out.</summary>
    public string Value { get; }

    /// <summary>When to stop using it and fetch another.</summary>
    public DateTimeOffset RefreshAt { get; }

    /// <summary>Describes the token without its value.</summary>
    public override string ToString() => $"AccessToken {{ RefreshAt = {RefreshAt:O} }}";
}

/// <summary>
/// Where the access tokens of OAuth2 accounts (Movio, Messengeo) are shared between processes. Each process keeps
/// its own token in memory and asks the cache only when it has none, or its token is due for refresh or was
/// refused. The default, <see cref="InProcessTokenCache"/>, shares nothing: each process fetches its own token. A
/// shared cache (such as <c>ContactLists.Redis</c>) makes N processes of one account fetch one token between them.
/// Register one for all accounts as a singleton <see cref="ITokenCache"/>, or for one account as a keyed singleton
/// under the client's name.
/// </summary>
public interface ITokenCache
{
    /// <summary>
    /// A token of <paramref name="account"/> that is not <paramref name="rejected"/> and not due for refresh: the
    /// shared one, or one that <paramref name="fetch"/> obtains, once for every process asking at the same time.
    /// </summary>
    /// <param name="account">The account.</param>
    /// <param name="rejected">A token the API refused, never to be returned again; <see langword="null"/> when none was.</param>
    /// <param name="fetch">Requests a new token from the provider's token endpoint.</param>
    /// <param name="cancellationToken">Cancels the wait (a fetch already under way for others continues).</param>
    Task<AccessToken> GetOrFetchAsync(ProviderAccount account, string? rejected, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken);
}

/// <summary>Shares nothing between processes: every request for a token is a fetch (the default; each process caches its own).</summary>
public sealed class InProcessTokenCache : ITokenCache
{
    /// <summary>The one instance.</summary>
    public static InProcessTokenCache Instance { get; } = new();

    private InProcessTokenCache()
    {
    }

    /// <inheritdoc/>
    public Task<AccessToken> GetOrFetchAsync(ProviderAccount account, string? rejected, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        return fetch(cancellationToken);
    }
}
