using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactLists.Providers.Messengeo;

// Wire types of the Digitaleo contacts API (contacts.messengeo.net/rest). Ids and some counters arrive as JSON
// strings; numbers are read from strings too (JsonNumberHandling.AllowReadingFromString).

/// <summary>A list.</summary>
public sealed class MessengeoList
{
    /// <summary>The list's id (a string on the wire).</summary>
    [JsonPropertyName("id")]
    [JsonConverter(typeof(Http.StringOrNumberConverter))]
    public string? Id { get; set; }

    /// <summary>The name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>Counters (with <c>properties=stats</c>): <c>subscribers</c>, <c>sms</c>, <c>email</c>, and others.</summary>
    [JsonPropertyName("stats")]
    public Dictionary<string, JsonElement>? Stats { get; set; }

    /// <summary><c>on</c> while importing, a percentage such as <c>10</c>, or <c>ok</c> when done.</summary>
    [JsonPropertyName("importStatus")]
    [JsonConverter(typeof(Http.StringOrNumberConverter))]
    public string? ImportStatus { get; set; }

    /// <summary>Rows in the imported file.</summary>
    [JsonPropertyName("importLines")]
    public long? ImportLines { get; set; }

    /// <summary>Rows rejected as invalid.</summary>
    [JsonPropertyName("importInvalid")]
    public long? ImportInvalid { get; set; }

    /// <summary>A link to a CSV of the rejected rows and why.</summary>
    [JsonPropertyName("importErrors")]
    public string? ImportErrors { get; set; }

    /// <summary>When it was created (<c>YYYY-MM-DD HH:MM:SS</c>, zone not stated).</summary>
    [JsonPropertyName("dateCreated")]
    public string? DateCreated { get; set; }

    /// <summary>When it was last changed.</summary>
    [JsonPropertyName("dateUpdated")]
    public string? DateUpdated { get; set; }
}

/// <summary>A contact.</summary>
public sealed class MessengeoContact
{
    /// <summary>The contact's id.</summary>
    [JsonPropertyName("id")]
    [JsonConverter(typeof(Http.StringOrNumberConverter))]
    public string? Id { get; set; }

    /// <summary>The lists the contact is in.</summary>
    [JsonPropertyName("listIds")]
    public List<JsonElement>? ListIds { get; set; }

    /// <summary>Mobile number, E.164.</summary>
    [JsonPropertyName("mobile")]
    public string? Mobile { get; set; }

    /// <summary>E-mail address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>First name.</summary>
    [JsonPropertyName("firstName")]
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("lastName")]
    public string? LastName { get; set; }

    /// <summary>The customer's own id for the contact.</summary>
    [JsonPropertyName("reference")]
    public string? Reference { get; set; }

    /// <summary>Every other property (civility, address, field01..field15, opt-outs…).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>The list envelope of lists: <c>{ size, total, list }</c>.</summary>
public sealed class MessengeoListEnvelope
{
    /// <summary>Items in this answer.</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>Items without the limit (only when <c>total=true</c> was sent).</summary>
    [JsonPropertyName("total")]
    public long? Total { get; set; }

    /// <summary>The lists.</summary>
    [JsonPropertyName("list")]
    [JsonRequired]
    public List<MessengeoList> List { get; set; } = [];
}

/// <summary>The list envelope of contacts: <c>{ size, total, list }</c>.</summary>
public sealed class MessengeoContactEnvelope
{
    /// <summary>Items in this answer.</summary>
    [JsonPropertyName("size")]
    public long Size { get; set; }

    /// <summary>Items without the limit (only when <c>total=true</c> was sent).</summary>
    [JsonPropertyName("total")]
    public long? Total { get; set; }

    /// <summary>The contacts.</summary>
    [JsonPropertyName("list")]
    [JsonRequired]
    public List<MessengeoContact> List { get; set; } = [];
}

/// <summary><c>{ "count": n }</c> (n may be a string).</summary>
public sealed class MessengeoCount
{
    /// <summary>Resources matched or affected.</summary>
    [JsonPropertyName("count")]
    [JsonRequired]
    public long Count { get; set; }
}

/// <summary>The API's error body: <c>{ status, message, messages: [ { details } ], details }</c>.</summary>
internal sealed class MessengeoError
{
    /// <summary>The HTTP status, repeated.</summary>
    [JsonPropertyName("status")]
    public int? Status { get; set; }

    /// <summary>What went wrong.</summary>
    [JsonPropertyName("message")]
    public string? Message { get; set; }

    /// <summary>More detail.</summary>
    [JsonPropertyName("messages")]
    public List<MessengeoErrorDetail>? Messages { get; set; }

    /// <summary>More detail.</summary>
    [JsonPropertyName("details")]
    public string? Details { get; set; }
}

/// <summary>One detail of an error.</summary>
internal sealed class MessengeoErrorDetail
{
    /// <summary>The detail.</summary>
    [JsonPropertyName("details")]
    public string? Details { get; set; }
}

/// <summary>Source-generated JSON metadata for Messengeo's wire types.</summary>
[JsonSourceGenerationOptions(NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(MessengeoListEnvelope))]
[JsonSerializable(typeof(MessengeoContactEnvelope))]
[JsonSerializable(typeof(MessengeoCount))]
[JsonSerializable(typeof(MessengeoError))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class MessengeoJsonContext : JsonSerializerContext;
