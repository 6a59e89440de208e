using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ContactLists;

/// <summary>
/// A sync ledger in the process: what the syncs of this process sent, lost when it ends. The default of
/// <c>AddContactLists</c> (one per service container) and of a <see cref="ContactListSync"/> made without a ledger: a
/// job that runs for days in one process (a Worker) syncs by difference from its second run on; a process started per
/// run (cron) needs a ledger that outlives it: <c>UseSqliteSyncLedger</c> (ContactLists.Sqlite) or
/// <c>UseRedisSyncLedger</c> (ContactLists.Redis).
/// </summary>
public sealed class InMemorySyncLedger : ISyncLedger
{
    private readonly ConcurrentDictionary<SyncTarget, Target> _targets = new();

    /// <inheritdoc/>
    public ValueTask<SyncRunRecord?> GetRunAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ValueTask.FromResult(_targets.TryGetValue(target, out var known) ? known.Run : null);
    }

    /// <inheritdoc/>
    public ValueTask SetRunAsync(SyncTarget target, SyncRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        var known = _targets.GetOrAdd(target, _ => new Target());
        lock (known)
        {
            known.Run = run;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SyncLedgerEntry> ReadAsync(SyncTarget target, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (!_targets.TryGetValue(target, out var known))
        {
            yield break;
        }

        SyncLedgerEntry[] entries;
        lock (known)
        {
            entries = [.. known.Entries.Values];
        }

        foreach (var entry in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask RecordAsync(SyncTarget target, SyncLedgerChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        var known = _targets.GetOrAdd(target, _ => new Target());
        lock (known)
        {
            if (changes.Reset)
            {
                known.Entries.Clear();
            }

            foreach (var identity in changes.Removals)
            {
                known.Entries.Remove(identity);
            }

            foreach (var entry in changes.Upserts)
            {
                known.Entries[entry.Identity] = entry;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask ForgetAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        _targets.TryRemove(target, out _);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<KeyValuePair<SyncTarget, SyncRunRecord>> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var (target, known) in _targets)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (known.Run is { } run)
            {
                yield return KeyValuePair.Create(target, run);
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    private sealed class Target
    {
        public Dictionary<string, SyncLedgerEntry> Entries { get; } = new(StringComparer.Ordinal);

        public SyncRunRecord? Run { get; set; }
    }
}
