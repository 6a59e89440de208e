using System.Globalization;
using ContactLists.Sharing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>
/// Shares each account's contact identity map between processes: one Redis hash per account
/// (<c>{prefix}:contacts:{provider}:{account id}</c>), identity → <c>{contact id}|{confirmed at, Unix ms}</c>, that
/// lives <see cref="RedisSharingOptions.ContactIdsLifetime"/> after its last write. The map is a cache, never the
/// truth: while Redis is unreachable it answers "unknown" and forgets writes, and the SDK looks contacts up instead.
/// Keys hold only the account's one-way id; values are provider contact ids, phone numbers and e-mails as fields.
/// </summary>
internal sealed partial class RedisContactIdentityMap(RedisConnection connection, RedisSharingOptions options, TimeProvider timeProvider, ILogger logger) : IContactIdentityMap
{
    public async ValueTask<IReadOnlyDictionary<string, KnownContact>> GetAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(identities);
        var found = new Dictionary<string, KnownContact>(StringComparer.Ordinal);
        if (identities.Count == 0)
        {
            return found;
        }

        var fields = identities.Select(i => (RedisValue)i).ToArray();
        var values = await TryAsync(account, database => database.HashGetAsync(options.ContactsKey(account), fields), cancellationToken).ConfigureAwait(false);
        for (var i = 0; values is not null && i < fields.Length; i++)
        {
            if (Parse(values[i]) is { } known)
            {
                found[fields[i]!] = known;
            }
        }

        return found;
    }

    public async ValueTask SetAsync(ProviderAccount account, IReadOnlyCollection<KeyValuePair<string, KnownContact>> contacts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(contacts);
        if (contacts.Count == 0)
        {
            return;
        }

        var entries = contacts.Select(c => new HashEntry(c.Key, string.Create(CultureInfo.InvariantCulture, $"{c.Value.ContactId}|{c.Value.ConfirmedAt.ToUnixTimeMilliseconds()}"))).ToArray();
        RedisKey key = options.ContactsKey(account);
        await TryAsync(account, async database =>
        {
            var batch = database.CreateBatch();
            var set = batch.HashSetAsync(key, entries);
            var expire = batch.KeyExpireAsync(key, options.ContactIdsLifetime);
            batch.Execute();
            await Task.WhenAll(set, expire).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RemoveAsync(ProviderAccount account, IReadOnlyCollection<string> identities, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(identities);
        if (identities.Count > 0)
        {
            await TryAsync(account, database => database.HashDeleteAsync(options.ContactsKey(account), [.. identities.Select(i => (RedisValue)i)]), cancellationToken).ConfigureAwait(false);
        }
    }

    private static KnownContact? Parse(RedisValue value)
    {
        var text = (string?)value;
        var bar = text?.LastIndexOf('|') ?? -1;
        return bar > 0 && long.TryParse(text.AsSpan(bar + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var at)
            ? new KnownContact(text![..bar], DateTimeOffset.FromUnixTimeMilliseconds(at))
            : null;
    }

    private async Task<T?> TryAsync<T>(ProviderAccount account, Func<IDatabase, Task<T>> operation, CancellationToken cancellationToken)
    {
        try
        {
            var database = await connection.DatabaseAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            return await operation(database).WaitAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, account, ex.GetType().Name);
            return default;
        }
    }

    [LoggerMessage(EventId = 4121, Level = LogLevel.Warning, Message = "Redis did not answer ({Failure}); {Account} looks its contacts up at the provider instead of in the shared map.")]
    private static partial void LogUnreachable(ILogger logger, ProviderAccount account, string failure);
}
