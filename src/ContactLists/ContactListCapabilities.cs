namespace ContactLists;

/// <summary>
/// The operations a <see cref="IContactListClient"/> supports. An operation whose flag is absent throws
/// <see cref="ContactListOperationNotSupportedException"/> before any request is sent.
/// </summary>
[Flags]
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ContactListCapabilities>))]
public enum ContactListCapabilities
{
    /// <summary>Nothing.</summary>
    None = 0,

    /// <summary><see cref="IContactListClient.GetListsAsync"/>.</summary>
    ListLists = 1 << 0,

    /// <summary><see cref="IContactListClient.GetListAsync"/>.</summary>
    GetList = 1 << 1,

    /// <summary><see cref="IContactListClient.CreateListAsync"/>.</summary>
    CreateList = 1 << 2,

    /// <summary><see cref="IContactListClient.UpdateListAsync"/>.</summary>
    UpdateList = 1 << 3,

    /// <summary><see cref="IContactListClient.DeleteListAsync"/>.</summary>
    DeleteList = 1 << 4,

    /// <summary><see cref="IContactListClient.CountContactsAsync"/>.</summary>
    CountContacts = 1 << 5,

    /// <summary><see cref="IContactListClient.GetContactsAsync"/>.</summary>
    GetContacts = 1 << 6,

    /// <summary>The <c>AddContactsAsync</c> overloads.</summary>
    AddContacts = 1 << 7,

    /// <summary>The <c>RemoveContactsAsync</c> overloads.</summary>
    RemoveContacts = 1 << 8,

    /// <summary>The <c>ReplaceContactsAsync</c> overloads.</summary>
    ReplaceContacts = 1 << 9,

    /// <summary><see cref="IContactListClient.MergeListsAsync"/>.</summary>
    MergeLists = 1 << 10,

    /// <summary><see cref="IContactListClient.ImportFileAsync"/>.</summary>
    ImportFile = 1 << 11,

    /// <summary>
    /// <see cref="IContactListClient.GetContactsAsync"/> for a list that fits in one page only: the provider gives the
    /// first page of a list's members and documents no way to ask for the next (Whippy). Reading a larger list fails
    /// with <see cref="ContactListPagingLimitException"/> after its first page is read; nothing is returned of it. A
    /// client with <see cref="GetContacts"/> reads every list whole.
    /// </summary>
    GetContactsFirstPage = 1 << 12,

    /// <summary>The <c>UpdateContactsAsync</c> overloads: the fields of a list's members changed where they are stored.</summary>
    UpdateContacts = 1 << 13,
}

/// <summary>The contact field a provider uses to tell contacts apart.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ContactIdentity>))]
public enum ContactIdentity
{
    /// <summary><see cref="Contact.Email"/>.</summary>
    Email,

    /// <summary><see cref="Contact.Phone"/>, in E.164 form.</summary>
    Phone,

    /// <summary><see cref="Contact.Id"/>, the provider's own contact id.</summary>
    ProviderId,
}
