using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactLists.Providers.Movio;

/// <summary>
/// One item of the body of <c>PUT /contact-lists/{id}/contacts</c>: <c>email</c> plus free-form string attributes
/// as sibling properties, such as <c>{ "email": "ada@example.com", "first_name": "Ada" }</c>.
/// </summary>
[JsonConverter(typeof(MovioContactConverter))]
public sealed class MovioContact
{
    /// <summary>Creates a contact.</summary>
    /// <param name="email">The e-mail address (required; Movio does not check it on upload).</param>
    public MovioContact(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        Email = email;
    }

    /// <summary>The e-mail address.</summary>
    public string Email { get; }

    /// <summary>Attributes, by the list's column keys (such as <c>first_name</c>); values are strings.</summary>
    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);
}

/// <summary>Writes and reads a <see cref="MovioContact"/> as one flat JSON object (no reflection, AOT-safe).</summary>
internal sealed class MovioContactConverter : JsonConverter<MovioContact>
{
    /// <inheritdoc/>
    public override MovioContact Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A Movio contact is a JSON object.");
        }

        string? email = null;
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            var value = reader.TokenType == JsonTokenType.String ? reader.GetString()! : JsonDocument.ParseValue(ref reader).RootElement.GetRawText();
            if (name == "email")
            {
                email = value;
            }
            else
            {
                attributes[name] = value;
            }
        }

        var contact = new MovioContact(email ?? throw new JsonException("A Movio contact needs an email."));
        foreach (var (key, value) in attributes)
        {
            contact.Attributes[key] = value;
        }

        return contact;
    }

    /// <inheritdoc/>
    public override void Write(Utf8JsonWriter writer, MovioContact value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteString("email", value.Email);
        foreach (var (key, attribute) in value.Attributes)
        {
            writer.WriteString(key, attribute);
        }

        writer.WriteEndObject();
    }
}

/// <summary>The actions of <c>PUT /contact-lists/{id}/contacts</c>.</summary>
public static class MovioContactListAction
{
    /// <summary>Add (or update) the given contacts; the others are untouched.</summary>
    public const string Append = "append";

    /// <summary>Replace the list's contents with the given contacts.</summary>
    public const string Replace = "replace";

    /// <summary>Remove the given contacts; the others are untouched.</summary>
    public const string Delete = "delete";
}

/// <summary>
/// The optional counts a 202 may carry. Movio documents this shape for its sibling bulk endpoints
/// (<c>PUT /films</c>, <c>PUT /cinemas</c>), not for contact lists, so every field may be missing.
/// </summary>
public sealed class MovioBulkResponse
{
    /// <summary>Contacts in the request.</summary>
    [JsonPropertyName("total")]
    public long? Total { get; set; }

    /// <summary>Contacts created.</summary>
    [JsonPropertyName("created_count")]
    public long? CreatedCount { get; set; }

    /// <summary>Contacts updated.</summary>
    [JsonPropertyName("updated_count")]
    public long? UpdatedCount { get; set; }
}

/// <summary>Source-generated JSON metadata for Movio's wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(MovioContact[]))]
[JsonSerializable(typeof(MovioBulkResponse))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class MovioJsonContext : JsonSerializerContext;
