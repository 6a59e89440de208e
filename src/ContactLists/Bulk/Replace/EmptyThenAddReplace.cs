namespace ContactLists.Bulk;

/// <summary>
/// A replace for a provider with no replace call but a way to empty a list (Octopush): the first batch empties the
/// list, then adds, and is answered before the others; a replace with no contact empties the list.
/// </summary>
internal sealed class EmptyThenAddReplace(IReplaceTarget target, string listId) : ListReplace(target, listId)
{
    /// <inheritdoc/>
    public override bool FirstBatchAlone => true;

    /// <inheritdoc/>
    public override string? NonAtomicReason
        => $"{Target.ProviderName} has no replace call: the list was emptied, then the contacts added; in between, the list held fewer members.";

    /// <inheritdoc/>
    public override async Task<BatchResponse> SendAsync(BulkBatch batch, CancellationToken cancellationToken)
    {
        if (batch.Index != 0)
        {
            return await Target.SendBatchAsync(BatchAction.Add, ListId, batch, cancellationToken).ConfigureAwait(false);
        }

        await Target.EmptyListAsync(ListId, cancellationToken).ConfigureAwait(false);
        var response = await Target.SendBatchAsync(BatchAction.Add, ListId, batch, cancellationToken).ConfigureAwait(false);
        return response with { Action = "empty + " + response.Action };
    }

    /// <inheritdoc/>
    protected override Task WhenNoneSentAsync(CancellationToken cancellationToken) => Target.EmptyListAsync(ListId, cancellationToken);
}
