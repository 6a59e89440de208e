namespace ContactLists.Bulk;

/// <summary>
/// One replace of a list's members, run by the bulk engine like any bulk operation: the steps of one
/// <see cref="ReplaceStrategy"/> (what each batch sends, whether the first batch goes alone, why the result is not
/// atomic) and the step after the last batch. One instance per call.
/// </summary>
internal abstract class ListReplace(IReplaceTarget target, string listId)
{
    /// <summary>The adapter the steps call.</summary>
    protected IReplaceTarget Target { get; } = target;

    /// <summary>The list being replaced.</summary>
    protected string ListId { get; } = listId;

    /// <summary>
    /// Whether the first batch must be answered before any other is sent (it is the step that removes the former
    /// members; the later batches only add).
    /// </summary>
    public virtual bool FirstBatchAlone => false;

    /// <summary>Why the replace is not atomic when it takes more than one batch.</summary>
    public virtual string? SeveralBatchesReason => null;

    /// <summary>Why the replace is not atomic whatever its size.</summary>
    public virtual string? NonAtomicReason => null;

    /// <summary>The steps of <paramref name="strategy"/> for one call; <see langword="null"/> for <see cref="ReplaceStrategy.None"/>.</summary>
    /// <param name="strategy">The adapter's declared strategy.</param>
    /// <param name="target">The adapter.</param>
    /// <param name="listId">The list.</param>
    public static ListReplace? For(ReplaceStrategy strategy, IReplaceTarget target, string listId) => strategy switch
    {
        ReplaceStrategy.OverwriteFirstBatch => new OverwriteFirstBatchReplace(target, listId),
        ReplaceStrategy.EmptyThenAdd => new EmptyThenAddReplace(target, listId),
        ReplaceStrategy.Difference => new DifferenceReplace(target, listId),
        _ => null,
    };

    /// <summary>Sends one batch of the new members.</summary>
    /// <param name="batch">The checked batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public abstract Task<BatchResponse> SendAsync(BulkBatch batch, CancellationToken cancellationToken);

    /// <summary>The step after the last batch, given the engine's result; by default <see cref="WhenNoneSentAsync"/> when the input held no contact to send.</summary>
    /// <param name="result">What the batches did.</param>
    /// <param name="call">What the adapter set up for the call.</param>
    /// <param name="cancellationToken">Cancels the step.</param>
    public virtual async Task<BulkResult> FinishAsync(BulkResult result, Resolution.ResolutionCall? call, CancellationToken cancellationToken)
    {
        if (result.Batches.Count == 0)
        {
            await WhenNoneSentAsync(cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    /// <summary>
    /// A replace with no contact to send: no provider call can be made of nothing, so by default it is refused (a
    /// strategy that can empty the list does so).
    /// </summary>
    /// <param name="cancellationToken">Cancels the step.</param>
    protected virtual Task WhenNoneSentAsync(CancellationToken cancellationToken)
        => throw new ContactListValidationException($"{Target.ProviderName} cannot replace a list's contacts with none; delete the list or remove its contacts instead.", paramName: null);
}
