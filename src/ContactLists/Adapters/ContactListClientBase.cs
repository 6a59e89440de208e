using ContactLists.Bulk;
using ContactLists.Diagnostics;

namespace ContactLists.Adapters;

/// <summary>
/// The part of every adapter that is the same for every provider: argument checks, the capability gate, identity
/// checks and the bulk engine. An adapter overrides the <c>…CoreAsync</c> members for the operations it declares in
/// <see cref="Capabilities"/>; every other operation throws <see cref="ContactListOperationNotSupportedException"/>.
/// </summary>
internal abstract partial class ContactListClientBase(string providerName, ContactListClientOptions options, ClientWiring wiring) : IContactListClient
{
    public string ProviderName { get; } = providerName;

    public string ClientName { get; } = wiring.ClientName;

    public abstract ContactListCapabilities Capabilities { get; }

    public abstract ContactIdentity Identity { get; }

    protected TimeProvider TimeProvider { get; } = wiring.TimeProvider;

    /// <summary>The span and duration of every public operation.</summary>
    private OperationTracer Tracer { get; } = new(providerName, wiring.ClientName, wiring.TimeProvider);

    /// <summary>The client's logger (<c>ContactLists.{Provider}</c>); batch outcomes are logged at Debug.</summary>
    internal Microsoft.Extensions.Logging.ILogger Logger { get; } = wiring.Logger;

    /// <summary>The account's settings that every provider has.</summary>
    protected ContactListClientOptions ClientOptions { get; } = options;

    /// <summary>The provider's documented maximum of contacts per request.</summary>
    protected abstract int MaxBatchSize { get; }

    /// <summary>The batch size used when the caller does not set one (at most <see cref="MaxBatchSize"/>).</summary>
    protected virtual int DefaultBatchSize => MaxBatchSize;

    /// <summary>The maximum per request for one operation, for providers whose limit differs by operation.</summary>
    protected virtual int MaxBatchSizeFor(BulkOperation operation) => MaxBatchSize;

    /// <summary>The default per request for one operation (at most <see cref="MaxBatchSizeFor"/>).</summary>
    protected virtual int DefaultBatchSizeFor(BulkOperation operation) => Math.Min(DefaultBatchSize, MaxBatchSizeFor(operation));

    /// <summary>Whether a list's id is its name (Octopush): a list is addressed, and created on the first add, by its name.</summary>
    internal virtual bool ListsAddressedByName => false;

    /// <summary>How this provider replaces a list's members (see <see cref="Bulk.ReplaceStrategy"/>); the base class runs it.</summary>
    protected virtual ReplaceStrategy ReplaceStrategy => ReplaceStrategy.None;

    /// <summary>
    /// When the provider applies membership changes after it answers (so that an answer is "accepted for processing"):
    /// what that means for a replace of several steps. <see langword="null"/> when the provider applies them before answering.
    /// </summary>
    protected virtual string? AppliesLater => null;

    public IAsyncEnumerable<ContactList> GetListsAsync(CancellationToken cancellationToken = default)
    {
        Require(ContactListCapabilities.ListLists, "ListLists");
        return Tracer.TracedStreamAsync("ListLists", null, GetListsCoreAsync(cancellationToken), cancellationToken);
    }

    public Task<ContactList> GetListAsync(string listId, CancellationToken cancellationToken = default)
    {
        Arguments.CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.GetList, "GetList");
        CheckListId(listId, nameof(listId));
        return Tracer.TracedAsync("GetList", listId, (Client: this, listId, cancellationToken), static s => s.Client.GetListCoreAsync(s.listId, s.cancellationToken));
    }

    public Task<ContactList> CreateListAsync(NewContactList list, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(list);
        if (string.IsNullOrWhiteSpace(list.Name))
        {
            throw new ContactListValidationException("A new list needs a name that is not empty or white space.", nameof(list));
        }

        CheckListName(list.Name, nameof(list));

        Require(ContactListCapabilities.CreateList, "CreateList");
        return Tracer.TracedAsync("CreateList", null, (Client: this, list, cancellationToken), static s => s.Client.CreateListCoreAsync(s.list, s.cancellationToken));
    }

    public Task<ContactList> UpdateListAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken = default)
    {
        Arguments.CheckId(listId, nameof(listId));
        ArgumentNullException.ThrowIfNull(update);
        if (update.Name is not null && string.IsNullOrWhiteSpace(update.Name))
        {
            throw new ContactListValidationException("A list's new name cannot be empty or white space; use null to keep the name.", nameof(update));
        }

        if (update.Name is not null)
        {
            CheckListName(update.Name, nameof(update));
        }

        if (update is { Name: null, Description: null, Archived: null })
        {
            throw new ContactListValidationException("The update changes nothing: set Name, Description or Archived.", nameof(update));
        }

        Require(ContactListCapabilities.UpdateList, "UpdateList");
        CheckListId(listId, nameof(listId));
        return Tracer.TracedAsync("UpdateList", listId, (Client: this, listId, update, cancellationToken), static s => s.Client.UpdateListCoreAsync(s.listId, s.update, s.cancellationToken));
    }

    public Task<ContactListDeletion> DeleteListAsync(string listId, CancellationToken cancellationToken = default)
    {
        Arguments.CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.DeleteList, "DeleteList");
        CheckListId(listId, nameof(listId));
        return Tracer.TracedAsync("DeleteList", listId, (Client: this, listId, cancellationToken), static s => s.Client.DeleteListCoreAsync(s.listId, s.cancellationToken));
    }

    public Task<long> CountContactsAsync(string listId, CancellationToken cancellationToken = default)
    {
        Arguments.CheckId(listId, nameof(listId));
        Require(ContactListCapabilities.CountContacts, "CountContacts");
        CheckListId(listId, nameof(listId));
        return Tracer.TracedAsync("CountContacts", listId, (Client: this, listId, cancellationToken), static s => s.Client.CountContactsCoreAsync(s.listId, s.cancellationToken));
    }

    public IAsyncEnumerable<Contact> GetContactsAsync(string listId, CancellationToken cancellationToken = default)
    {
        Arguments.CheckId(listId, nameof(listId));
        if (!Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            Require(ContactListCapabilities.GetContacts, "GetContacts");
        }

        CheckListId(listId, nameof(listId));
        return Tracer.TracedStreamAsync("GetContacts", listId, GetContactsCoreAsync(listId, cancellationToken), cancellationToken);
    }

    public Task<BulkResult> AddContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Add, listId, contacts, options, cancellationToken);

    public Task<BulkResult> AddContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Add, listId, contacts, options, cancellationToken);

    public Task<BulkResult> RemoveContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Remove, listId, contacts, options, cancellationToken);

    public Task<BulkResult> RemoveContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Remove, listId, contacts, options, cancellationToken);

    public Task<BulkResult> UpdateContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Update, listId, contacts, options, cancellationToken);

    public Task<BulkResult> UpdateContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Update, listId, contacts, options, cancellationToken);

    public Task<BulkResult> ReplaceContactsAsync(string listId, IEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Replace, listId, contacts, options, cancellationToken);

    public Task<BulkResult> ReplaceContactsAsync(string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options = null, CancellationToken cancellationToken = default)
        => RunBulkAsync(BulkOperation.Replace, listId, contacts, options, cancellationToken);

    public Task<ContactList> MergeListsAsync(string name, IEnumerable<string> listIds, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ContactListValidationException("The merged list needs a name that is not empty or white space.", nameof(name));
        }

        CheckListName(name, nameof(name));

        ArgumentNullException.ThrowIfNull(listIds);
        var ids = listIds.ToArray();
        if (ids.Length == 0)
        {
            throw new ContactListValidationException("At least one list id is needed to merge.", nameof(listIds));
        }

        foreach (var id in ids)
        {
            Arguments.CheckId(id, nameof(listIds));
        }

        Require(ContactListCapabilities.MergeLists, "MergeLists");
        foreach (var id in ids)
        {
            CheckListId(id, nameof(listIds));
        }

        return Tracer.TracedAsync("MergeLists", null, () => MergeListsCoreAsync(name, ids, cancellationToken));
    }

    public Task<ContactListImport> ImportFileAsync(string listName, ContactListFile file, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(listName))
        {
            throw new ContactListValidationException("The imported list needs a name that is not empty or white space.", nameof(listName));
        }

        CheckListName(listName, nameof(listName));

        ArgumentNullException.ThrowIfNull(file);
        Require(ContactListCapabilities.ImportFile, "ImportFile");
        return Tracer.TracedAsync("ImportFile", null, () => ImportFileCoreAsync(listName, file, cancellationToken));
    }

    /// <summary>
    /// The health probe: the cheapest authenticated read the provider documents, never a write. Returns
    /// <see langword="false"/> when the provider documents no such read (the health check then falls back to the
    /// account's token request, for OAuth2 providers, or reports the account as not probed).
    /// </summary>
    internal virtual Task<bool> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(false);

    protected virtual IAsyncEnumerable<ContactList> GetListsCoreAsync(CancellationToken cancellationToken) => throw NotSupported("ListLists");

    protected virtual Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("GetList");

    protected virtual Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken) => throw NotSupported("CreateList");

    protected virtual Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken) => throw NotSupported("UpdateList");

    protected virtual Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("DeleteList");

    protected virtual Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("CountContacts");

    protected virtual IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("GetContacts");

    protected virtual Task<ContactList> MergeListsCoreAsync(string name, IReadOnlyList<string> listIds, CancellationToken cancellationToken) => throw NotSupported("MergeLists");

    protected virtual Task<ContactListImport> ImportFileCoreAsync(string listName, ContactListFile file, CancellationToken cancellationToken) => throw NotSupported("ImportFile");

    /// <summary>Provider rules for a list id beyond the shared ones (for example a name-length limit); throws <see cref="ContactListValidationException"/>.</summary>
    protected virtual void CheckListId(string listId, string paramName)
    {
    }

    /// <summary>The longest list name the provider documents; <see langword="null"/> when it documents none (then <see cref="ContactListClientOptions.DefaultMaxListNameLength"/> applies).</summary>
    protected virtual int? DocumentedMaxListNameLength => null;

    /// <summary>The longest list name sent: <see cref="ContactListClientOptions.MaxListNameLength"/> when set, else the documented limit, else the stated default.</summary>
    private int MaxListNameLength => ClientOptions.MaxListNameLength ?? DocumentedMaxListNameLength ?? ContactListClientOptions.DefaultMaxListNameLength;

    /// <summary>A list name sent to the provider: see <see cref="Arguments.CheckListName"/>.</summary>
    private void CheckListName(string name, string paramName)
        => Arguments.CheckListName(name, paramName, ProviderName, MaxListNameLength, documented: DocumentedMaxListNameLength is not null && ClientOptions.MaxListNameLength is null);

    protected ContactListOperationNotSupportedException NotSupported(string operation, string? detail = null)
        => new(ProviderName, operation, detail);

    private void Require(ContactListCapabilities capability, string operation)
    {
        if (!Capabilities.HasFlag(capability))
        {
            throw NotSupported(operation);
        }
    }
}
