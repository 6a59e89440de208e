using Refit;

namespace ContactLists.Providers.Octopush;

/// <summary>
/// Octopush's contact and contact-list endpoints (base address <c>https://api.octopush.com</c>; the
/// <c>api-login</c> and <c>api-key</c> headers are added by the client's pipeline). Answers' bodies are not
/// documented, so any 2xx is success. Octopush tries to "fix" bad data and silently ignores what it cannot fix:
/// check inputs before calling, as the neutral client does.
/// </summary>
[Headers("Accept: application/json")]
public interface IOctopushApi
{
    /// <summary><c>POST /v1/public/contact/create</c>: adds contacts (an upsert by phone number), optionally to lists and tags.</summary>
    /// <param name="request">The contacts and options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/public/contact/create")]
    Task CreateContactsAsync([Body] OctopushCreateContactsRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v1/public/contact/delete</c> with a JSON body: removes up to 200 numbers from a list, or from the account.</summary>
    /// <param name="request">The numbers and the list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/v1/public/contact/delete")]
    Task DeleteContactsAsync([Body] OctopushDeleteContactsRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/public/contact-list/create</c>: creates an empty list. Not repeated automatically once it may have arrived.</summary>
    /// <param name="request">The list's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/public/contact-list/create")]
    Task CreateContactListAsync([Body] OctopushContactListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /v1/public/contact-list/delete</c> with a JSON body: deletes a list.</summary>
    /// <param name="request">The list's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/v1/public/contact-list/delete")]
    Task DeleteContactListAsync([Body] OctopushContactListRequest request, CancellationToken cancellationToken = default);

    /// <summary><c>POST /v1/public/contact-list/empty</c>: removes every contact from a list (and, optionally, from the account).</summary>
    /// <param name="request">The list's name and whether to delete the contacts.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/v1/public/contact-list/empty")]
    Task EmptyContactListAsync([Body] OctopushEmptyContactListRequest request, CancellationToken cancellationToken = default);
}
