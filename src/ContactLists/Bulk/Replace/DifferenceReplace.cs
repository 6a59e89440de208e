using System.Collections.Concurrent;

namespace ContactLists.Bulk;

/// <summary>
/// A replace for providers whose membership calls take provider ids and that have no replace call (SlickText,
/// Messengeo): the new members are added (each answer names their ids), then every former member not among them is
/// removed. The former members are known in full before any removal (read once: by the call, or after the adds), so
/// removing does not shift the pages being read. A replace with no contact removes every member.
/// </summary>
internal sealed class DifferenceReplace(IReplaceTarget target, string listId) : ListReplace(target, listId)
{
    private readonly ConcurrentDictionary<string, byte> _kept = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public override string? NonAtomicReason
        => $"{Target.ProviderName} has no replace call: the new members were added, then the former ones removed; in between, the list held both.";

    /// <inheritdoc/>
    public override async Task<BatchResponse> SendAsync(BulkBatch batch, CancellationToken cancellationToken)
    {
        var response = await Target.SendBatchAsync(BatchAction.Add, ListId, batch, cancellationToken).ConfigureAwait(false);
        foreach (var id in response.MemberIds ?? [])
        {
            _kept[id] = 0;
        }

        return response;
    }

    /// <inheritdoc/>
    public override async Task<BulkResult> FinishAsync(BulkResult result, Resolution.ResolutionCall? call, CancellationToken cancellationToken)
    {
        var leaving = (await Target.FormerMemberIdsAsync(ListId, call, cancellationToken).ConfigureAwait(false)).Where(id => !_kept.ContainsKey(id)).ToList();
        foreach (var chunk in leaving.Chunk(Target.RemoveBatchSize))
        {
            await Target.RemoveMemberIdsAsync(ListId, chunk, cancellationToken).ConfigureAwait(false);
        }

        return result.WithFormerMembersRemoved(leaving.Count);
    }
}
