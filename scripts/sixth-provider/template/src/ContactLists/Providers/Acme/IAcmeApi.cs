using Refit;

namespace ContactLists.Providers.Acme;

/// <summary>
/// The wire format of an imaginary provider that exists only in these tests, so that the shared parts of the SDK
/// (bulk engine, pipeline, registration, argument checks) are tested without depending on any real provider's
/// quirks. It is deliberately plain: JSON without envelopes, an API key header, one membership endpoint.
/// </summary>
[Headers("Accept: application/json")]
public interface IAcmeApi
{
    /// <summary><c>GET /lists?offset=&amp;limit=</c>: one page of lists.</summary>
    [Get("/lists")]
    Task<AcmeListPage> GetListsAsync(int? offset = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /lists/{id}</c>: one list.</summary>
    [Get("/lists/{id}")]
    Task<AcmeList> GetListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /lists</c>: creates a list (not safe to repeat).</summary>
    [Post("/lists")]
    Task<AcmeList> CreateListAsync([Body] AcmeListInput list, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /lists/{id}</c>: changes a list.</summary>
    [Put("/lists/{id}")]
    Task<AcmeList> UpdateListAsync(string id, [Body] AcmeListInput list, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /lists/{id}</c>: deletes a list and its memberships (204).</summary>
    [Delete("/lists/{id}")]
    Task DeleteListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>GET /lists/{id}/members?offset=&amp;limit=</c>: one page of a list's members.</summary>
    [Get("/lists/{id}/members")]
    Task<AcmeMemberPage> GetMembersAsync(string id, int? offset = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /lists/{id}/members</c>: adds, removes or overwrites up to <see cref="AcmeOptions.MaxMembersPerRequest"/>
    /// members. The provider answers 202 <c>{"status":"queued"}</c> and applies the change later.
    /// </summary>
    [Put("/lists/{id}/members")]
    Task<IApiResponse<AcmeQueuedResponse>> ChangeMembersAsync(string id, [Body] AcmeMembersChange change, CancellationToken cancellationToken = default);
}
