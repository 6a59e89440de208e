using System.Globalization;
using System.Runtime.CompilerServices;
using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>
/// A sync ledger on Redis, for jobs that move between machines or run in several instances: one hash per list
/// (<c>{prefix}:ledger:{account id}:{list id}</c>, identity → <c>{fingerprint}|{added by sync: 1 or 0}|{sent at, Unix ms}|{sent as}</c>),
/// the last run as JSON beside it (<c>{prefix}:ledger-run:…</c>), and the set of lists it knows. Each answered batch is
/// one MULTI/EXEC. Unlike the shared caches, a ledger is not a cache: it never expires, and while Redis is unreachable a
/// sync fails with Redis's error rather than guess. Keys hold only the account's one-way id; fields are phone numbers
/// and e-mails (personal data: secure the Redis server as the source export is secured).
/// </summary>
internal sealed class RedisSyncLedger(RedisConnection connection, RedisSharingOptions options, TimeProvider timeProvider) : ISyncLedger
{
    private const int ScanPage = 1_000;

    public async ValueTask<SyncRunRecord?> GetRunAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var json = (string?)await database.StringGetAsync(RunKey(target)).ConfigureAwait(false);
        return json is null ? null : SyncRunRecord.FromJson(json);
    }

    public async ValueTask SetRunAsync(SyncTarget target, SyncRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var transaction = database.CreateTransaction();
        var set = transaction.StringSetAsync(RunKey(target), run.ToJson());
        var known = transaction.SetAddAsync(ListsKey, Member(target));
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(set, known).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<SyncLedgerEntry> ReadAsync(SyncTarget target, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var field in database.HashScanAsync(EntriesKey(target), pageSize: ScanPage).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (Parse(field.Name!, field.Value) is { } entry)
            {
                yield return entry;
            }
        }
    }

    public async ValueTask RecordAsync(SyncTarget target, SyncLedgerChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        RedisKey key = EntriesKey(target);
        var transaction = database.CreateTransaction();
        var pending = new List<Task>();
        if (changes.Reset)
        {
            pending.Add(transaction.KeyDeleteAsync(key));
        }

        if (changes.Removals.Count > 0)
        {
            pending.Add(transaction.HashDeleteAsync(key, [.. changes.Removals.Select(r => (RedisValue)r)]));
        }

        if (changes.Upserts.Count > 0)
        {
            pending.Add(transaction.HashSetAsync(key, [.. changes.Upserts.Select(e => new HashEntry(e.Identity, Format(e)))]));
        }

        pending.Add(transaction.SetAddAsync(ListsKey, Member(target)));
        if (!await transaction.ExecuteAsync().ConfigureAwait(false))
        {
            throw new RedisException("Redis did not apply the ledger's transaction.");
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    public async ValueTask ForgetAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        var transaction = database.CreateTransaction();
        var entries = transaction.KeyDeleteAsync(EntriesKey(target));
        var run = transaction.KeyDeleteAsync(RunKey(target));
        var known = transaction.SetRemoveAsync(ListsKey, Member(target));
        await transaction.ExecuteAsync().ConfigureAwait(false);
        await Task.WhenAll(entries, run, known).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<KeyValuePair<SyncTarget, SyncRunRecord>> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var database = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
        foreach (var member in await database.SetMembersAsync(ListsKey).ConfigureAwait(false))
        {
            var parts = ((string)member!).Split('\n', 2);
            var target = new SyncTarget(parts[0], parts[1]);
            if (await GetRunAsync(target, cancellationToken).ConfigureAwait(false) is { } run)
            {
                yield return KeyValuePair.Create(target, run);
            }
        }
    }

    private Task<IDatabase> DatabaseAsync(CancellationToken cancellationToken) => connection.DatabaseAsync(options.OperationTimeout, timeProvider, cancellationToken);

    private string EntriesKey(SyncTarget target) => $"{options.KeyPrefix}:ledger:{target.AccountId}:{target.ListId}";

    private string RunKey(SyncTarget target) => $"{options.KeyPrefix}:ledger-run:{target.AccountId}:{target.ListId}";

    private string ListsKey => $"{options.KeyPrefix}:ledger-lists";

    private static string Member(SyncTarget target) => target.AccountId + "\n" + target.ListId;

    private static string Format(SyncLedgerEntry entry)
        => string.Create(CultureInfo.InvariantCulture, $"{entry.Fingerprint}|{(entry.AddedBySync ? 1 : 0)}|{entry.SentAt.ToUnixTimeMilliseconds()}|{entry.SentAs}");

    private static SyncLedgerEntry? Parse(string identity, RedisValue value)
    {
        // The identity as sent comes last: an e-mail may hold a '|'.
        var parts = ((string?)value)?.Split('|', 4);
        return parts is [var fingerprint, var added, var sent, var sentAs]
            && long.TryParse(fingerprint, NumberStyles.Integer, CultureInfo.InvariantCulture, out var print)
            && long.TryParse(sent, NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
            ? new SyncLedgerEntry(identity, print, added == "1", DateTimeOffset.FromUnixTimeMilliseconds(at), sentAs.Length == 0 ? null : sentAs)
            : null;
    }
}
