namespace ContactLists;

/// <summary>
/// One provider account's contact lists, through a provider-neutral interface.
/// Obtain one from <see cref="IContactListClientFactory"/> or as a keyed service named after the account.
/// </summary>
/// <remarks>
/// Every operation checks its arguments before sending anything; an operation that the provider does not offer
/// (see <see cref="Capabilities"/>) throws <see cref="ContactListOperationNotSupportedException"/>.
/// Failures from the provider surface as <see cref="ContactListException"/> subclasses.
/// </remarks>
public interface IContactListClient
{
    /// <summary>The provider's name, such as <c>Whippy</c>.</summary>
    string ProviderName { get; }

    /// <summary>The name this account was registered under.</summary>
    string ClientName { get; }

    /// <summary>The operations this client supports.</summary>
    ContactListCapabilities Capabilities { get; }

    /// <summary>The contact field that identifies a contact on this provider, and must be present and valid on every contact sent.</summary>
    ContactIdentity Identity { get; }

    /// <summary>All lists of the account, fetched page by page as they are enumerated.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<ContactList> GetListsAsync(CancellationToken cancellationToken = default);

    /// <summary>One list.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ContactListNotFoundException">No list has that id.</exception>
    Task<ContactList> GetListAsync(string listId, CancellationToken cancellationToken = default);

    /// <summary>Creates a list. Never retried once the request may have reached the provider, so it cannot create twice.</summary>
    /// <param name="list">What to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList> CreateListAsync(NewContactList list, CancellationToken cancellationToken = default);

    /// <summary>Changes a list's name, description or state.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="update">What to change.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList> UpdateListAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken = default);

    /// <summary>Deletes a list; the result says whether the provider deleted it softly.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactListDeletion> DeleteListAsync(string listId, CancellationToken cancellationToken = default);

    /// <summary>How many contacts a list holds.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<long> CountContactsAsync(string listId, CancellationToken cancellationToken = default);

    /// <summary>The contacts of a list, fetched page by page as they are enumerated.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    IAsyncEnumerable<Contact> GetContactsAsync(string listId, CancellationToken cancellationToken = default);

    /// <summary>Adds contacts to a list, in batches at the provider's limit, paced to its rate limit.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="contacts">The contacts; enumerated once, batch by batch.</param>
    /// <param name="options">Batching, progress and error handling; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation; contacts not yet sent are reported on the exception.</param>
    Task<BulkResult> AddContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="AddContactsAsync(string, IEnumerable{Contact}, BulkOptions?, CancellationToken)"/>
    Task<BulkResult> AddContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Removes contacts from a list (the contacts themselves are not deleted).</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="contacts">The contacts; enumerated once, batch by batch.</param>
    /// <param name="options">Batching, progress and error handling; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation; contacts not yet sent are reported on the exception.</param>
    Task<BulkResult> RemoveContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="RemoveContactsAsync(string, IEnumerable{Contact}, BulkOptions?, CancellationToken)"/>
    Task<BulkResult> RemoveContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Updates the fields of contacts that are members of a list (names, e-mail, external id, attributes placed on the
    /// provider's fields), each identified as for <c>AddContactsAsync</c>. A field the contact does not set is left as it
    /// is on the provider; consent and opt-out status are never written. Whippy, Movio and Octopush update by sending the
    /// contacts to the list again (their add creates or updates a contact); SlickText and Messengeo update each contact
    /// (found by its id, phone or e-mail, never created: a contact the provider does not know is rejected).
    /// </summary>
    /// <param name="listId">The list the contacts are members of.</param>
    /// <param name="contacts">The contacts with their new fields; enumerated once, batch by batch.</param>
    /// <param name="options">Batching, progress and error handling; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation; contacts not yet sent are reported on the exception.</param>
    Task<BulkResult> UpdateContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="UpdateContactsAsync(string, IEnumerable{Contact}, BulkOptions?, CancellationToken)"/>
    Task<BulkResult> UpdateContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Makes the list hold exactly these contacts. When the input is larger than one batch, or the provider has no
    /// single replace call, the replace is composed of several calls and <see cref="BulkResult.IsAtomic"/> is <see langword="false"/>.
    /// </summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="contacts">The contacts; enumerated once, batch by batch.</param>
    /// <param name="options">Batching, progress and error handling; <see langword="null"/> for the defaults.</param>
    /// <param name="cancellationToken">Cancels the operation; contacts not yet sent are reported on the exception.</param>
    Task<BulkResult> ReplaceContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <inheritdoc cref="ReplaceContactsAsync(string, IEnumerable{Contact}, BulkOptions?, CancellationToken)"/>
    Task<BulkResult> ReplaceContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates a list named <paramref name="name"/> holding the contacts of all <paramref name="listIds"/>.</summary>
    /// <param name="name">The new list's name.</param>
    /// <param name="listIds">The lists to merge (at least one).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ContactList> MergeListsAsync(string name, IEnumerable<string> listIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates a list named <paramref name="listName"/> from a file of contacts (the provider imports it) and returns a
    /// handle that follows the provider's asynchronous import. The file's size and type are checked before upload.
    /// </summary>
    /// <param name="listName">The new list's name.</param>
    /// <param name="file">The file.</param>
    /// <param name="cancellationToken">Cancels the upload.</param>
    Task<ContactListImport> ImportFileAsync(string listName, ContactListFile file, CancellationToken cancellationToken = default);

    /// <summary>
    /// The provider's contact fields as the SDK maps them: which neutral fields it stores and gives back, which custom
    /// fields <see cref="Contact.Attributes"/> can reach and under which names (Octopush <c>param1</c>…<c>param5</c>,
    /// Messengeo <c>field01</c>…<c>field15</c>, SlickText's custom fields by internal name), and whether it takes
    /// attributes of any name. Every provider has one; only SlickText reads it from the account (its custom fields,
    /// once per client).
    /// </summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<ContactFieldModel> GetFieldsAsync(CancellationToken cancellationToken = default);
}
