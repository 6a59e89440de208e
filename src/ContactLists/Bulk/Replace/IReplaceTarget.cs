namespace ContactLists.Bulk;

/// <summary>
/// What a replace needs from the adapter it runs for: the provider calls its steps are made of. The adapter's base
/// class implements it over the hooks an adapter overrides (<c>SendBatchAsync</c>, <c>EmptyListAsync</c>,
/// <c>FormerMemberIdsAsync</c>, <c>RemoveMemberIdsAsync</c>).
/// </summary>
internal interface IReplaceTarget
{
    /// <summary>The provider, named in the reasons a replace gives.</summary>
    string ProviderName { get; }

    /// <summary>When the provider applies membership changes after it answers: what that means for a replace of several steps.</summary>
    string? AppliesLater { get; }

    /// <summary>How many member ids one removal request takes.</summary>
    int RemoveBatchSize { get; }

    /// <summary>Sends one batch as <paramref name="action"/>.</summary>
    /// <param name="action">Add, or the provider's own overwrite.</param>
    /// <param name="listId">The list.</param>
    /// <param name="batch">The checked batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<BatchResponse> SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken);

    /// <summary>Removes every member of the list.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task EmptyListAsync(string listId, CancellationToken cancellationToken);

    /// <summary>The provider ids of the list's members before the replace.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="call">What the adapter set up for the call (it may have read the members already).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    Task<IReadOnlyList<string>> FormerMemberIdsAsync(string listId, Resolution.ResolutionCall? call, CancellationToken cancellationToken);

    /// <summary>Removes members by provider id.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="memberIds">At most <see cref="RemoveBatchSize"/> ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken);
}
