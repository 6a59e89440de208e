namespace ContactLists.Bulk;

/// <summary>What one batch asks the provider to do.</summary>
internal enum BatchAction
{
    /// <summary>Add the contacts to the list.</summary>
    Add,

    /// <summary>Remove the contacts from the list.</summary>
    Remove,

    /// <summary>Make the contacts the list's only members (the provider's own overwrite).</summary>
    Overwrite,

    /// <summary>Update the fields of contacts that are members of the list; never their consent or opt-out status.</summary>
    Update,
}
