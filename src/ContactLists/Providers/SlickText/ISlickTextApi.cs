using Refit;

namespace ContactLists.Providers.SlickText;

/// <summary>
/// SlickText's brand-scoped API (base address <c>https://dev.slicktext.com</c>, which is production; paths start
/// with <c>/v1</c>). The <c>Authorization: Bearer {api key}</c> header is added by the client's pipeline. Filters
/// are exact matches; query values are percent-encoded (<c>%20</c>, never <c>+</c>, which SlickText ignores).
/// </summary>
[Headers("Accept: application/json")]
public interface ISlickTextApi
{
    /// <summary><c>GET /v1/brands</c>: the key's brand (one object); also a cheap credentials check.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands")]
    Task<SlickTextBrand> GetBrandAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/lists</c>: a page of lists, optionally filtered by exact name or description.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="limit">Page size (SlickText's default 50).</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="name">Exact name filter.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/lists")]
    Task<SlickTextListPage> GetListsAsync(long brandId, int? limit = null, int? offset = null, string? name = null, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/lists/{contact_list_id}</c>: one list.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/lists/{listId}")]
    Task<SlickTextList> GetListAsync(long brandId, long listId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/brands/{brand_id}/lists</c>: creates an empty list. Not repeated automatically once it may have arrived.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="request">Name (required) and description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/brands/{brandId}/lists")]
    Task<SlickTextList> CreateListAsync(long brandId, [Body] SlickTextListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /v1/brands/{brand_id}/lists/{contact_list_id}</c>: changes a list's name or description.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="listId">The list.</param>
    /// <param name="request">At least one of name and description.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/v1/brands/{brandId}/lists/{listId}")]
    Task<SlickTextList> EditListAsync(long brandId, long listId, [Body] SlickTextListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v1/brands/{brand_id}/lists/{contact_list_id}</c>: deletes a list (SlickText answers <c>[]</c>).</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/v1/brands/{brandId}/lists/{listId}")]
    Task DeleteListAsync(long brandId, long listId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/lists/{contact_list_id}/contacts/count</c>: a bare number, every opt-in status counted.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/lists/{listId}/contacts/count")]
    Task<long> CountListContactsAsync(long brandId, long listId, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/lists/{contact_list_id}/contacts</c>: a page of a list's contacts.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="listId">The list.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/lists/{listId}/contacts")]
    Task<SlickTextContactPage> GetListContactsAsync(long brandId, long listId, int? limit = null, int? offset = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/brands/{brand_id}/lists/contacts</c>: adds contacts to lists (a bare array body). Answers <c>{ "count": n }</c>.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="memberships">Contacts and the lists each joins.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/brands/{brandId}/lists/contacts")]
    Task<IApiResponse<SlickTextCount>> AddContactsToListsAsync(long brandId, [Body] SlickTextListMembership[] memberships, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes contacts from lists: same body and answer as adding. The method and path are not confirmed by any public
    /// source; this is the most likely form (<c>DELETE /v1/brands/{brand_id}/lists/contacts</c> with the body). The
    /// neutral client can be pointed elsewhere with <c>SlickTextOptions.RemoveContactsFromListsPath</c>.
    /// </summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="memberships">Contacts and the lists each leaves.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/v1/brands/{brandId}/lists/contacts")]
    Task<IApiResponse<SlickTextCount>> RemoveContactsFromListsAsync(long brandId, [Body] SlickTextListMembership[] memberships, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/contacts</c>: contacts matching exact filters (mobile number, e-mail).</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="mobileNumber">Exact mobile number (E.164; the <c>+</c> is sent as <c>%2B</c>).</param>
    /// <param name="email">Exact e-mail address.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/contacts")]
    Task<SlickTextContactPage> FindContactsAsync(
        long brandId,
        [AliasAs("mobile_number")] string? mobileNumber = null,
        string? email = null,
        int? limit = null,
        int? offset = null,
        CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/brands/{brand_id}/contacts</c>: creates a contact. Not repeated automatically once it may have arrived.</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="request">The contact; <c>mobile_number</c> required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/brands/{brandId}/contacts")]
    Task<SlickTextContact> CreateContactAsync(long brandId, [Body] SlickTextCreateContactRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /v1/brands/{brand_id}/contacts/{contact_id}</c>: changes the fields sent (only those); answers the contact.
    /// The request type has no opt-in status: an update never changes consent.
    /// </summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="contactId">The contact.</param>
    /// <param name="request">The fields to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/v1/brands/{brandId}/contacts/{contactId}")]
    Task<SlickTextContact> UpdateContactAsync(long brandId, long contactId, [Body] SlickTextUpdateContactRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>GET /v1/brands/{brand_id}/custom-fields</c>: the brand's custom contact fields (their <c>internal_name</c> keys a contact's <c>custom_fields</c>).</summary>
    /// <param name="brandId">The brand.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/v1/brands/{brandId}/custom-fields")]
    Task<SlickTextCustomFieldPage> GetCustomFieldsAsync(long brandId, int? limit = null, int? offset = null, CancellationToken cancellationToken = default);
}
