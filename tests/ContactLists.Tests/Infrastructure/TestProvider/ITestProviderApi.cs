using Refit;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>
/// The wire format of an imaginary provider that exists only in these tests, so that the shared parts of the SDK
/// (bulk engine, pipeline, registration, argument checks) are tested without depending on any real provider's
/// quirks. It is deliberately plain: JSON without envelopes, an API key header, one membership endpoint.
/// </summary>
[Headers("Accept: application/json")]
public interface ITestProviderApi
{
    /// <summary><c>GET /lists?offset=&amp;limit=</c>: one page of lists.</summary>
    [Get("/lists")]
    Task<TestListPage> GetListsAsync(int? offset = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /lists/{id}</c>: one list.</summary>
    [Get("/lists/{id}")]
    Task<TestList> GetListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /lists</c>: creates a list (not safe to repeat).</summary>
    [Post("/lists")]
    Task<TestList> CreateListAsync([Body] TestListInput list, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /lists/{id}</c>: changes a list.</summary>
    [Put("/lists/{id}")]
    Task<TestList> UpdateListAsync(string id, [Body] TestListInput list, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /lists/{id}</c>: deletes a list and its memberships (204).</summary>
    [Delete("/lists/{id}")]
    Task DeleteListAsync(string id, CancellationToken cancellationToken = default);

    /// <summary><c>GET /lists/{id}/members?offset=&amp;limit=</c>: one page of a list's members.</summary>
    [Get("/lists/{id}/members")]
    Task<TestMemberPage> GetMembersAsync(string id, int? offset = null, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /lists/{id}/members</c>: adds, removes or overwrites up to <see cref="TestProviderOptions.MaxMembersPerRequest"/>
    /// members. The provider answers 202 <c>{"status":"queued"}</c> and applies the change later.
    /// </summary>
    [Put("/lists/{id}/members")]
    Task<IApiResponse<TestQueuedResponse>> ChangeMembersAsync(string id, [Body] TestMembersChange change, CancellationToken cancellationToken = default);
}
