using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>
/// The connection the stores share: opened on first use, not at start-up, and never failing start-up because Redis
/// is down (the stores fall back while it is). Owned and disposed by the container when ContactLists opened it.
/// </summary>
internal sealed class RedisConnection(Func<Task<IConnectionMultiplexer>> connect, bool owned) : IAsyncDisposable, IDisposable
{
    private readonly object _gate = new();
    private Task<IConnectionMultiplexer>? _connection;

    /// <summary>Opens a connection from a StackExchange.Redis configuration string; commands fail fast while Redis is down, and it reconnects on its own.</summary>
    public static RedisConnection FromConfiguration(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;
        return new RedisConnection(async () => await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false), owned: true);
    }

    public async Task<IDatabase> DatabaseAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        Task<IConnectionMultiplexer> connecting;
        lock (_gate)
        {
            // A connection attempt that failed is not kept: the next caller tries again (the stores fall back meanwhile).
            if (_connection is null || _connection.IsFaulted || _connection.IsCanceled)
            {
                _connection = connect();
            }

            connecting = _connection;
        }

        return (await connecting.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false)).GetDatabase();
    }

    // Both, so that a container disposed either way can dispose it.
    public void Dispose()
    {
        if (owned && Connected() is { } connection)
        {
            connection.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (owned && Connected() is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private IConnectionMultiplexer? Connected()
    {
        lock (_gate)
        {
            return _connection is { IsCompletedSuccessfully: true } done ? done.Result : null;
        }
    }
}

/// <summary>Failures that mean "Redis did not answer in time", as distinct from failures of the work around it.</summary>
internal static class RedisFailures
{
    public static bool IsUnreachable(Exception exception) => exception is RedisException or TimeoutException or ObjectDisposedException;
}
