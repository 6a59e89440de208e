using System.Text.Json.Serialization;

namespace ContactLists.Http.OAuth2;

/// <summary>A token endpoint's answer (RFC 6749 §5.1); extra fields are ignored.</summary>
internal sealed class OAuth2TokenResponse
{
    [JsonPropertyName("access_token")]
    public string? AccessToken { get; set; }

    [JsonPropertyName("token_type")]
    public string? TokenType { get; set; }

    [JsonPropertyName("expires_in")]
    public long? ExpiresIn { get; set; }

    [JsonPropertyName("scope")]
    public string? Scope { get; set; }
}

/// <summary>A token endpoint's error (RFC 6749 §5.2).</summary>
internal sealed class OAuth2ErrorResponse
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("error_description")]
    public string? ErrorDescription { get; set; }
}

[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OAuth2TokenResponse))]
[JsonSerializable(typeof(OAuth2ErrorResponse))]
internal sealed partial class OAuth2JsonContext : JsonSerializerContext;
