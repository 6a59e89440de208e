using ContactLists.Sharing;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>
/// Shares each OAuth2 account's token between processes: the token is kept under the account's key for as long as
/// it is good (its time to live ends when it is due for refresh), and when it is missing, one process at a time
/// (holding a short lock) fetches the next one while the others wait for it. Keys hold only the account's one-way
/// id; nothing here logs a token.
/// </summary>
internal sealed partial class RedisTokenCache(RedisConnection connection, RedisSharingOptions options, TimeProvider timeProvider, ILogger logger) : ITokenCache
{
    // Deletes the lock only if this process still holds it (it may have expired and been taken by another).
    private const string ReleaseLock = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
          return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    public async Task<AccessToken> GetOrFetchAsync(ProviderAccount account, string? rejected, Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(fetch);
        RedisKey key = options.TokenKey(account);
        RedisKey lockKey = options.TokenKey(account) + ":lock";
        // Never wait for another process beyond this: a holder that died cannot block anyone for long.
        var giveUpAt = timeProvider.GetUtcNow() + options.TokenLockTimeout * 2;
        try
        {
            var database = await connection.DatabaseAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (await ReadAsync(database, key, rejected, cancellationToken).ConfigureAwait(false) is { } shared)
                {
                    return shared;
                }

                var lockId = Guid.NewGuid().ToString("N");
                var locked = await database.StringSetAsync(lockKey, lockId, options.TokenLockTimeout, When.NotExists)
                    .WaitAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
                if (locked)
                {
                    return await FetchForAllAsync(database, account, key, lockKey, lockId, rejected, fetch, cancellationToken).ConfigureAwait(false);
                }

                if (timeProvider.GetUtcNow() >= giveUpAt)
                {
                    LogWaitedTooLong(logger, account);
                    break;
                }

                await Task.Delay(options.TokenPollInterval, timeProvider, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (RedisFailures.IsUnreachable(ex) && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(logger, account, ex.GetType().Name);
        }

        return await fetch(cancellationToken).ConfigureAwait(false);
    }

    private async Task<AccessToken> FetchForAllAsync(
        IDatabase database, ProviderAccount account, RedisKey key, RedisKey lockKey, string lockId, string? rejected,
        Func<CancellationToken, Task<AccessToken>> fetch, CancellationToken cancellationToken)
    {
        try
        {
            // Another process may have stored a token between the read and the lock.
            if (await ReadAsync(database, key, rejected, cancellationToken).ConfigureAwait(false) is { } shared)
            {
                return shared;
            }

            var token = await fetch(cancellationToken).ConfigureAwait(false);
            var lifetime = token.RefreshAt - timeProvider.GetUtcNow();
            if (lifetime > TimeSpan.Zero)
            {
                try
                {
                    await database.StringSetAsync(key, token.Value, lifetime).WaitAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (RedisFailures.IsUnreachable(ex))
                {
                    // The token is good; the others will fetch their own.
                    LogUnreachable(logger, account, ex.GetType().Name);
                }
            }

            return token;
        }
        finally
        {
            try
            {
                await database.ScriptEvaluateAsync(ReleaseLock, [lockKey], [lockId]).WaitAsync(options.OperationTimeout, timeProvider, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsUnreachable(ex))
            {
                // The lock expires on its own after TokenLockTimeout.
            }
        }
    }

    /// <summary>The shared token, unless there is none or it is the one the API refused; its refresh time is when its key expires.</summary>
    private async Task<AccessToken?> ReadAsync(IDatabase database, RedisKey key, string? rejected, CancellationToken cancellationToken)
    {
        var entry = await database.StringGetWithExpiryAsync(key).WaitAsync(options.OperationTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        if (entry.Value.IsNullOrEmpty || entry.Expiry is not { } left || left <= TimeSpan.Zero)
        {
            return null;
        }

        var value = (string)entry.Value!;
        return value == rejected ? null : new AccessToken(value, timeProvider.GetUtcNow() + left);
    }

    [LoggerMessage(EventId = 4111, Level = LogLevel.Warning, Message = "Redis did not answer ({Failure}); {Account} fetches its own access token.")]
    private static partial void LogUnreachable(ILogger logger, ProviderAccount account, string failure);

    [LoggerMessage(EventId = 4112, Level = LogLevel.Warning, Message = "Waited too long for another process to fetch the access token of {Account}; fetching one here.")]
    private static partial void LogWaitedTooLong(ILogger logger, ProviderAccount account);
}
