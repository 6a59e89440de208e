namespace ContactLists.Http.OAuth2;

/// <summary>How the client proves its identity to the token endpoint.</summary>
internal enum OAuth2ClientAuthentication
{
    /// <summary><c>Authorization: Basic base64(client_id:client_secret)</c> (RFC 6749 §2.3.1).</summary>
    BasicHeader,

    /// <summary><c>client_id</c> and <c>client_secret</c> in the form body.</summary>
    FormBody,
}

/// <summary>Everything needed to obtain a client-credentials token from one account's token endpoint.</summary>
internal sealed record OAuth2ClientCredentials(
    Uri TokenEndpoint,
    string ClientId,
    string ClientSecret,
    string? Audience,
    string? Scope,
    OAuth2ClientAuthentication ClientAuthentication,
    TimeSpan RefreshBeforeExpiry,
    TimeSpan FailureHold)
{
    // A record prints its members; this one holds a secret.
    public override string ToString() => $"OAuth2ClientCredentials {{ TokenEndpoint = {TokenEndpoint}, ClientId = {ClientId}, ClientSecret = (hidden) }}";
}
