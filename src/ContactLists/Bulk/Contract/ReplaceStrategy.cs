namespace ContactLists.Bulk;

/// <summary>
/// How an adapter replaces a list's members, declared by the adapter (<c>ContactListClientBase.ReplaceStrategy</c>);
/// <see cref="ListReplace.For"/> turns it into the steps that run it.
/// </summary>
internal enum ReplaceStrategy
{
    /// <summary>The provider cannot replace.</summary>
    None,

    /// <summary>The provider's own overwrite for the first batch (answered before anything else is sent), then adds (<see cref="OverwriteFirstBatchReplace"/>).</summary>
    OverwriteFirstBatch,

    /// <summary>Empty the list (answered before anything else is sent), then add (<see cref="EmptyThenAddReplace"/>).</summary>
    EmptyThenAdd,

    /// <summary>Add the new members (each answer names their ids), then remove every former member not among them (<see cref="DifferenceReplace"/>).</summary>
    Difference,
}
