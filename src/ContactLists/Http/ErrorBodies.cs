using System.Text.Json;

namespace ContactLists.Http;

/// <summary>Reading error bodies whose shape a provider does not document.</summary>
internal static class ErrorBodies
{
    private static readonly string[] MessageFields = ["message", "error", "error_description", "detail", "title", "description"];

    /// <summary>The string values of the usual message fields of a JSON object body; empty for anything else (the raw body is kept on the exception).</summary>
    public static string[] CommonMessages(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind != JsonValueKind.Object
            ? []
            : MessageFields
                .Select(name => document.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null)
                .OfType<string>()
                .ToArray();
    }
}
