namespace ContactLists;

/// <summary>A contact list as a provider returned it. Fields a provider does not give are <see langword="null"/>.</summary>
public sealed record ContactList
{
    /// <summary>The provider's id for the list (for providers that address lists by name, the name).</summary>
    public required string Id { get; init; }

    /// <summary>The list's name.</summary>
    public string? Name { get; init; }

    /// <summary>The list's description, for providers that store one.</summary>
    public string? Description { get; init; }

    /// <summary>When the list was created, when the provider says.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>How many contacts the list holds, when the provider returned it with the list.</summary>
    public long? ContactCount { get; init; }

    /// <summary>The list's state, when the provider has one (some providers delete softly).</summary>
    public ContactListStatus Status { get; init; } = ContactListStatus.Unknown;
}

/// <summary>The state of a contact list.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<ContactListStatus>))]
public enum ContactListStatus
{
    /// <summary>The provider does not report a state.</summary>
    Unknown = 0,

    /// <summary>The list is active: it can be read and written.</summary>
    Active,

    /// <summary>The list is archived: it can be read, but the provider refuses membership changes.</summary>
    Archived,

    /// <summary>The list was deleted softly: the provider still returns it, marked deleted.</summary>
    Deleted,
}

/// <summary>What to create with <see cref="IContactListClient.CreateListAsync"/>.</summary>
/// <param name="Name">The list's name (required).</param>
/// <param name="Description">A description, for providers that store one; a provider that cannot store it refuses it rather than dropping it.</param>
public sealed record NewContactList(string Name, string? Description = null);

/// <summary>
/// Changes for <see cref="IContactListClient.UpdateListAsync"/>. A <see langword="null"/> property is left as it is.
/// </summary>
public sealed record ContactListUpdate
{
    /// <summary>The new name, or <see langword="null"/> to keep the current one.</summary>
    public string? Name { get; init; }

    /// <summary>The new description, or <see langword="null"/> to keep the current one.</summary>
    public string? Description { get; init; }

    /// <summary>
    /// Archive (<see langword="true"/>) or re-activate (<see langword="false"/>) the list, for providers that archive;
    /// <see langword="null"/> keeps the state.
    /// </summary>
    public bool? Archived { get; init; }
}

/// <summary>What <see cref="IContactListClient.DeleteListAsync"/> did.</summary>
/// <param name="ListId">The list that was deleted.</param>
/// <param name="IsSoftDelete">
/// <see langword="true"/> when the provider only marked the list deleted and still returns it (its contacts are not deleted);
/// <see langword="false"/> when the provider removed it.
/// </param>
/// <param name="List">The list as the provider returned it from the delete call, when it returned one.</param>
public sealed record ContactListDeletion(string ListId, bool IsSoftDelete, ContactList? List);
