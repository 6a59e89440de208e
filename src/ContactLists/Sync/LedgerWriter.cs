using System.Threading.Channels;

namespace ContactLists;

/// <summary>
/// Writes a sync's changes to its ledger in the order they were answered, off the path of the batches (a bulk call's
/// batch callbacks are synchronous and must stay quick). Batches answered while a write runs are merged into the next
/// <see cref="ISyncLedger.RecordAsync"/>, so the queue stays short however fast the provider answers.
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
        // What has queued up while the last write ran is written in one transaction: a fast provider never makes the
        // queue (and the memory it holds) grow with the run.
        var reader = _work.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            var merged = new Merge();
            while (merged.Count < MaxEntriesPerWrite && reader.TryPeek(out var next) && (next is SyncLedgerChanges || merged.IsEmpty))
            {
                reader.TryRead(out var item);
                if (item is SyncRunRecord run)
                {
                    await WriteAsync(() => _ledger.SetRunAsync(_target, run, CancellationToken.None)).ConfigureAwait(false);
                    break;
                }

                var changes = (SyncLedgerChanges)item!;
                if (changes.Reset && !merged.IsEmpty)
                {
                    // A reset forgets what came before it: it starts a transaction of its own.
                    await WriteAsync(() => _ledger.RecordAsync(_target, merged.ToChanges(), CancellationToken.None)).ConfigureAwait(false);
                    merged = new Merge();
                }

                merged.Add(changes);
            }

            if (!merged.IsEmpty)
            {
                await WriteAsync(() => _ledger.RecordAsync(_target, merged.ToChanges(), CancellationToken.None)).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The most entries one write merges.</summary>
    private const int MaxEntriesPerWrite = 10_000;

    private async Task WriteAsync(Func<ValueTask> write)
    {
        if (_failure is not null)
        {
            return;
        }

        try
        {
            // Never cancelled: what was answered is recorded even when the sync is being stopped.
            await write().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed write is kept and reported once the sync has recorded its results.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _failure = ex;
        }
    }

    /// <summary>Changes merged in order: the last word on an identity wins, a reset only first.</summary>
    private sealed class Merge
    {
        private readonly Dictionary<string, SyncLedgerEntry?> _entries = new(StringComparer.Ordinal);
        private bool _reset;

        public int Count => _entries.Count;

        public bool IsEmpty => !_reset && _entries.Count == 0;

        public void Add(SyncLedgerChanges changes)
        {
            _reset |= changes.Reset;
            foreach (var removed in changes.Removals)
            {
                _entries[removed] = null;
            }

            foreach (var entry in changes.Upserts)
            {
                _entries[entry.Identity] = entry;
            }
        }

        public SyncLedgerChanges ToChanges() => new()
        {
            Reset = _reset,
            Upserts = [.. _entries.Values.OfType<SyncLedgerEntry>()],
            Removals = [.. _entries.Where(e => e.Value is null).Select(e => e.Key)],
        };
    }
}
