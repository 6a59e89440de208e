using Refit;

namespace ContactLists.Providers.Whippy;

/// <summary>
/// Whippy's contact-list endpoints, exactly as documented (base address <c>https://api.whippy.co</c>, header
/// <c>X-WHIPPY-KEY</c> added by the client's pipeline). Resolve it as a keyed service named after the account for
/// anything the neutral <see cref="IContactListClient"/> does not cover (colours, opt-in channels, addresses).
/// </summary>
[Headers("Accept: application/json")]
public interface IWhippyApi
{
    /// <summary><c>GET /v1/contacts/lists?offset=&amp;limit=</c>: one page of the organization's lists.</summary>
    /// <param name="offset">Zero-based position of the first list (Whippy's default 0).</param>
    /// <param name="limit">Lists per page (Whippy's default 50).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/contacts/lists")]
    Task<WhippyContactListPage> GetContactListsAsync(int? offset = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/contacts/lists</c>: creates a list. Not repeated automatically once it may have arrived.</summary>
    /// <param name="request">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/contacts/lists")]
    Task<WhippyContactListResponse> CreateContactListAsync([Body] WhippyCreateContactListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/contacts/lists/{id}</c>: one list, with the first page of its contacts.</summary>
    /// <param name="id">The list's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/contacts/lists/{id}")]
    Task<WhippyContactListResponse> GetContactListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v1/contacts/lists/{id}</c>: changes a list's name, colour or state.</summary>
    /// <param name="id">The list's id.</param>
    /// <param name="request">The changes.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/v1/contacts/lists/{id}")]
    Task<WhippyContactListResponse> UpdateContactListAsync(string id, [Body] WhippyUpdateContactListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v1/contacts/lists/{id}</c>: deletes a list softly; the answer is the list with state <c>deleted</c>.</summary>
    /// <param name="id">The list's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/v1/contacts/lists/{id}")]
    Task<WhippyContactListResponse> DeleteContactListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /v1/contacts/lists/{id}/contacts</c>: adds, removes or overwrites up to 4000 contacts. Asynchronous:
    /// Whippy answers "Contact list contacts are being updated" and applies the change later. The answer's status
    /// (200 or 202) and body are not fully documented, so they are returned raw as well.
    /// </summary>
    /// <param name="id">The list's id.</param>
    /// <param name="request">The action and contacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/v1/contacts/lists/{id}/contacts")]
    Task<IApiResponse<WhippyMessageResponse>> UpdateContactListContactsAsync(string id, [Body] WhippyUpdateContactListContactsRequest request, CancellationToken cancellationToken = default);
}
