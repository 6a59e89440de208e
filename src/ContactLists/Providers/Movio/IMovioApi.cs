using System.Text.Json;
using Refit;

namespace ContactLists.Providers.Movio;

/// <summary>
/// Movio's one contact-list endpoint (the Movio Exhibitor API; lists themselves are created in the Movio EQ web app).
/// The bearer token is added by the client's pipeline. Resolve it as a keyed service named after the account.
/// </summary>
[Headers("Accept: application/json")]
public interface IMovioApi
{
    /// <summary>
    /// <c>PUT /contact-lists/{contactList_id}/contacts?action=append|replace|delete</c> with a bare JSON array of
    /// contacts. Movio answers 202; the body is not documented for this endpoint, so the raw answer is returned, and
    /// its optional counts can be read with <see cref="MovioApiExtensions.ReadCounts"/>.
    /// </summary>
    /// <param name="contactListId">The list's id (from Movio EQ).</param>
    /// <param name="action">See <see cref="MovioContactListAction"/>.</param>
    /// <param name="contacts">The contacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/contact-lists/{contactListId}/contacts")]
    Task<IApiResponse<JsonElement>> UpdateContactsAsync(string contactListId, [Query] string action, [Body] MovioContact[] contacts, CancellationToken cancellationToken = default);
}

/// <summary>Helpers for <see cref="IMovioApi"/> answers.</summary>
public static class MovioApiExtensions
{
    /// <summary>The counts of a 202 body in the shape Movio's other bulk endpoints use, or <see langword="null"/>.</summary>
    /// <param name="response">The answer.</param>
    public static MovioBulkResponse? ReadCounts(this IApiResponse<JsonElement> response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (!response.IsSuccessful || response.Content.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var counts = response.Content.Deserialize(MovioJsonContext.Default.MovioBulkResponse);
        return counts is { Total: null, CreatedCount: null, UpdatedCount: null } ? null : counts;
    }
}
