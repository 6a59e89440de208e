using System.Threading.Channels;

namespace ContactLists;

/// <summary>
/// Writes a sync's changes to its ledger in the order they were answered, one <see cref="ISyncLedger.RecordAsync"/>
/// per answered batch, off the path of the batches (a bulk call's batch callbacks are synchronous and must stay quick).
/// <see cref="CompleteAsync"/> waits until everything answered is written, whatever stopped the sync.
/// </summary>
internal sealed class LedgerWriter
{
    private readonly Channel<object> _work = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ISyncLedger _ledger;
    private readonly SyncTarget _target;
    private readonly Task _writing;
    private Exception? _failure;

    public LedgerWriter(ISyncLedger ledger, SyncTarget target)
    {
        _ledger = ledger;
        _target = target;
        _writing = Task.Run(WriteAsync);
    }

    /// <summary>Queues one answered batch's changes.</summary>
    public void Record(SyncLedgerChanges changes)
    {
        if (!changes.IsEmpty)
        {
            _work.Writer.TryWrite(changes);
        }
    }

    /// <summary>Queues a new state of the run, written after the changes queued before it.</summary>
    public void SetRun(SyncRunRecord run) => _work.Writer.TryWrite(run);

    /// <summary>Waits until everything queued is written; throws when a write failed.</summary>
    public async Task CompleteAsync()
    {
        _work.Writer.TryComplete();
        await _writing.ConfigureAwait(false);
        if (_failure is not null)
        {
            throw new ContactListException(
                $"The sync ledger could not record what was sent ({_failure.GetType().Name}: {_failure.Message}). The list was changed as the result says; the next run may send some contacts again.",
                _failure);
        }
    }

    private async Task WriteAsync()
    {
        await foreach (var item in _work.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (_failure is not null)
            {
                continue;
            }

            try
            {
                // Never cancelled: what was answered is recorded even when the sync is being stopped.
                if (item is SyncLedgerChanges changes)
                {
                    await _ledger.RecordAsync(_target, changes, CancellationToken.None).ConfigureAwait(false);
                }
                else if (item is SyncRunRecord run)
                {
                    await _ledger.SetRunAsync(_target, run, CancellationToken.None).ConfigureAwait(false);
                }
            }
#pragma warning disable CA1031 // A failed write is kept and reported once the sync has recorded its results.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                _failure = ex;
            }
        }
    }
}
