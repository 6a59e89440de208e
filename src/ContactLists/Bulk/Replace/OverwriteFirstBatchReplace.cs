namespace ContactLists.Bulk;

/// <summary>
/// A replace by the provider's own overwrite (Movio, Whippy): the first batch overwrites the members and is answered
/// before the others, which add to it.
/// </summary>
internal sealed class OverwriteFirstBatchReplace(IReplaceTarget target, string listId) : ListReplace(target, listId)
{
    /// <inheritdoc/>
    public override bool FirstBatchAlone => true;

    /// <inheritdoc/>
    public override string? SeveralBatchesReason
        => "The first batch replaced the list's members and the later batches added to them: had one failed, the list would hold part of the new set."
           + (Target.AppliesLater is { } later ? " " + later : string.Empty);

    /// <inheritdoc/>
    public override Task<BatchResponse> SendAsync(BulkBatch batch, CancellationToken cancellationToken)
        => Target.SendBatchAsync(batch.Index == 0 ? BatchAction.Overwrite : BatchAction.Add, ListId, batch, cancellationToken);
}
