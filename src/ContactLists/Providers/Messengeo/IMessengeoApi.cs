using Refit;

namespace ContactLists.Providers.Messengeo;

/// <summary>
/// The Digitaleo contacts API behind Messengeo (base address <c>https://contacts.messengeo.net</c>, paths
/// <c>/rest/lists</c> and <c>/rest/contacts</c>; the OAuth2 bearer token is added by the client's pipeline).
/// GET and DELETE take their parameters in the query string; POST and PUT bodies are form-urlencoded, with
/// <c>metaData</c> a JSON string inside a form field; <c>action</c> is always in the query string. Resources are
/// addressed by filters, so a PUT or DELETE without an <c>id</c> filter is refused before it is sent.
/// </summary>
[Headers("Accept: application/json")]
public interface IMessengeoApi
{
    /// <summary><c>GET /rest/lists</c>: lists, filtered by <c>id</c> (comma-separated), with the chosen <c>properties</c>.</summary>
    /// <param name="id">Ids to read, comma-separated; <see langword="null"/> for all lists.</param>
    /// <param name="properties">Comma-separated properties, such as <c>DEFAULT,stats,importStatus</c>.</param>
    /// <param name="limit">Items per answer.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="sort">Attribute and direction, such as <c>id ASC</c>.</param>
    /// <param name="total"><c>true</c> to have the (expensive) total computed.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/rest/lists")]
    Task<MessengeoListEnvelope> ReadListsAsync(string? id = null, string? properties = null, int? limit = null, int? offset = null, string? sort = null, string? total = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rest/lists</c>, form <c>name</c> (required) and <c>description</c>: creates a list; the answer's <c>list[0].id</c> is its id.</summary>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/rest/lists")]
    Task<MessengeoListEnvelope> CreateListAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary><c>PUT /rest/lists?id=…</c>, form <c>metaData={"name":…,"description":…}</c>: changes lists; answers <c>{ count }</c>.</summary>
    /// <param name="id">The ids to change (required).</param>
    /// <param name="form">The form, with <c>metaData</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/rest/lists")]
    Task<MessengeoCount> UpdateListsAsync([Query] string id, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary><c>DELETE /rest/lists?id=…</c>: deletes lists; answers <c>{ count }</c>.</summary>
    /// <param name="id">The ids to delete (required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Delete("/rest/lists")]
    Task<MessengeoCount> DeleteListsAsync([Query] string id, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rest/lists?action=merge</c>, form <c>listIds</c> (comma-separated) and <c>name</c>: a new list holding the lists' contacts.</summary>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/rest/lists?action=merge")]
    Task<MessengeoListEnvelope> MergeListsAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>POST /rest/lists?action=import</c>, multipart: <c>name</c>, <c>ignoreFirstLine</c> and the file as
    /// <c>contactFile</c> (CSV, XLS or XLSX, possibly zipped, at most 20 MB). The import runs asynchronously: follow
    /// the list's <c>importStatus</c>.
    /// </summary>
    /// <param name="name">The new list's name.</param>
    /// <param name="ignoreFirstLine"><c>true</c> when the first line is a header row, else <c>false</c> (or <c>1</c>/<c>0</c>).</param>
    /// <param name="contactFile">The file.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    [Post("/rest/lists?action=import")]
    [Multipart]
    Task<MessengeoListEnvelope> ImportListAsync(string name, string ignoreFirstLine, StreamPart contactFile, CancellationToken cancellationToken = default);

    /// <summary>
    /// The same import with <c>name</c> and <c>ignoreFirstLine</c> in the query string and the file alone in the body,
    /// as Digitaleo's Python wrapper sends uploads.
    /// </summary>
    /// <param name="name">The new list's name.</param>
    /// <param name="ignoreFirstLine"><c>true</c> when the first line is a header row, else <c>false</c> (or <c>1</c>/<c>0</c>).</param>
    /// <param name="contactFile">The file.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    [Post("/rest/lists?action=import")]
    [Multipart]
    Task<MessengeoListEnvelope> ImportListWithQueryParametersAsync([Query] string name, [Query] string ignoreFirstLine, StreamPart contactFile, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rest/lists?action=contactadd</c>, form <c>id</c> and <c>metaData={"contactIds":"1,2"}</c>: adds contacts to a list.</summary>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/rest/lists?action=contactadd")]
    Task<MessengeoCount> AddContactsAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rest/lists?action=contactremove</c>, same form as <see cref="AddContactsAsync"/>: removes contacts from a list.</summary>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/rest/lists?action=contactremove")]
    Task<MessengeoCount> RemoveContactsAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary><c>GET /rest/contacts</c>: contacts matching exact filters (<c>id</c>, <c>email</c>, <c>mobile</c>, <c>listIds</c>…).</summary>
    /// <param name="filters">Filter names and values.</param>
    /// <param name="properties">Comma-separated properties.</param>
    /// <param name="limit">Items per answer.</param>
    /// <param name="offset">Items to skip.</param>
    /// <param name="total"><c>true</c> to have the total computed (needed to page safely: the maximum limit is not documented).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Get("/rest/contacts")]
    Task<MessengeoContactEnvelope> ReadContactsAsync([Query] Dictionary<string, string> filters, string? properties = null, int? limit = null, int? offset = null, string? total = null, CancellationToken cancellationToken = default);

    /// <summary><c>POST /rest/contacts</c>, form <c>contacts[0][firstName]=…</c> (bracket notation, several contacts per call): creates contacts.</summary>
    /// <param name="form">The form fields.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Post("/rest/contacts")]
    Task<MessengeoContactEnvelope> CreateContactsAsync([Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>PUT /rest/contacts?id=…</c>, form <c>metaData={"lastName":"Bar"}</c>: changes the properties given of the
    /// contacts the filter selects; answers <c>{count}</c>. The SDK always sends one id, never an opt-out property.
    /// </summary>
    /// <param name="id">The contact's id (the filter: never left out, which could select every contact).</param>
    /// <param name="form">The form fields (<c>metaData</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    [Put("/rest/contacts")]
    Task<MessengeoCount> UpdateContactsAsync([Query] string id, [Body(BodySerializationMethod.UrlEncoded)] Dictionary<string, string> form, CancellationToken cancellationToken = default);
}
