using ContactLists.Sharing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace ContactLists.Redis;

/// <summary>Shares ContactLists' rate-limit budgets, OAuth2 tokens and contact identity maps on Redis (see docs/scale-out.md).</summary>
public static class RedisSharingExtensions
{
    /// <summary>
    /// Shares the pacing budget, the access token and the contact identity map of every account registered by
    /// ContactLists on Redis, so that processes using one provider account stay under its rate limits together, fetch
    /// one token between them, and find a contact another process already found without asking the provider.
    /// </summary>
    /// <param name="builder">The ContactLists builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>. The connection opens on first use; start-up never fails because Redis is down.</param>
    /// <param name="configure">Adjusts <see cref="RedisSharingOptions"/>; validated here.</param>
    public static ContactListsBuilder UseRedis(this ContactListsBuilder builder, string configuration, Action<RedisSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckConfiguration(configuration);
        Register(builder.Services, serviceKey: null, _ => RedisConnection.FromConfiguration(configuration), configure);
        return builder;
    }

    /// <summary>As <see cref="UseRedis(ContactListsBuilder, string, Action{RedisSharingOptions})"/>, over a connection your application already has (it stays yours to dispose).</summary>
    /// <param name="builder">The ContactLists builder.</param>
    /// <param name="connection">Gets your application's connection.</param>
    /// <param name="configure">Adjusts <see cref="RedisSharingOptions"/>; validated here.</param>
    public static ContactListsBuilder UseRedis(this ContactListsBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, Action<RedisSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        Register(builder.Services, serviceKey: null, sp => new RedisConnection(() => Task.FromResult(connection(sp)), owned: false), configure);
        return builder;
    }

    /// <summary>Shares this one account's pacing budget, access token and contact identity map on Redis; other accounts keep theirs as they were.</summary>
    /// <param name="builder">The account's builder, as returned by <c>AddWhippy</c> and the like.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Adjusts <see cref="RedisSharingOptions"/>; validated here.</param>
    public static ContactListClientBuilder UseRedis(this ContactListClientBuilder builder, string configuration, Action<RedisSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckConfiguration(configuration);
        Register(builder.HttpClientBuilder.Services, builder.Name, _ => RedisConnection.FromConfiguration(configuration), configure);
        return builder;
    }

    /// <summary>
    /// Keeps the sync ledger (what syncs sent, per list) on Redis, for a job that moves between machines or runs in
    /// several instances: every instance plans against what any of them sent, and a run stopped on one machine resumes
    /// on another. Resolve it as <see cref="ISyncLedger"/> and give it to <see cref="ContactListSync"/>. Unlike the
    /// shared caches of <c>UseRedis</c>, the ledger never falls back: a sync fails while Redis is unreachable.
    /// </summary>
    /// <param name="builder">The ContactLists builder.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, such as <c>localhost:6379</c>.</param>
    /// <param name="configure">Adjusts <see cref="RedisSharingOptions"/> (the key prefix, the operation timeout); validated here.</param>
    public static ContactListsBuilder UseRedisSyncLedger(this ContactListsBuilder builder, string configuration, Action<RedisSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        CheckConfiguration(configuration);
        return UseRedisSyncLedger(builder, _ => RedisConnection.FromConfiguration(configuration), configure);
    }

    /// <summary>As <see cref="UseRedisSyncLedger(ContactListsBuilder, string, Action{RedisSharingOptions})"/>, over a connection your application already has (it stays yours to dispose).</summary>
    /// <param name="builder">The ContactLists builder.</param>
    /// <param name="connection">Gets your application's connection.</param>
    /// <param name="configure">Adjusts <see cref="RedisSharingOptions"/>; validated here.</param>
    public static ContactListsBuilder UseRedisSyncLedger(this ContactListsBuilder builder, Func<IServiceProvider, IConnectionMultiplexer> connection, Action<RedisSharingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connection);
        return UseRedisSyncLedger(builder, sp => new RedisConnection(() => Task.FromResult(connection(sp)), owned: false), configure);
    }

    private static ContactListsBuilder UseRedisSyncLedger(ContactListsBuilder builder, Func<IServiceProvider, RedisConnection> connect, Action<RedisSharingOptions>? configure)
    {
        var options = new RedisSharingOptions();
        configure?.Invoke(options);
        options.Validate();
        var connectionKey = new object();
        builder.Services.AddKeyedSingleton(connectionKey, (sp, _) => connect(sp));
        builder.Services.AddSingleton<ISyncLedger>(sp => new RedisSyncLedger(sp.GetRequiredKeyedService<RedisConnection>(connectionKey), options, sp.GetService<TimeProvider>() ?? TimeProvider.System));
        return builder;
    }

    /// <summary>A configuration string StackExchange.Redis cannot read fails here, at registration, not at the first send.</summary>
    private static void CheckConfiguration(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        try
        {
            ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            // The message names the offending option; the string itself may hold a password, so it is not repeated.
            throw new ArgumentException("The Redis configuration string is not valid: " + ex.Message, nameof(configuration), ex);
        }
    }

    private static void Register(IServiceCollection services, string? serviceKey, Func<IServiceProvider, RedisConnection> connect, Action<RedisSharingOptions>? configure)
    {
        var options = new RedisSharingOptions();
        configure?.Invoke(options);
        options.Validate();

        // One connection per UseRedis call, created by the container so that the container disposes it.
        var connectionKey = new object();
        services.AddKeyedSingleton(connectionKey, (sp, _) => connect(sp));
        ILogger Logger(IServiceProvider sp) => sp.GetService<ILoggerFactory>()?.CreateLogger("ContactLists.Redis") ?? NullLogger.Instance;
        IRateLimitStore Store(IServiceProvider sp) => new RedisRateLimitStore(sp.GetRequiredKeyedService<RedisConnection>(connectionKey), options, Logger(sp));
        ITokenCache Cache(IServiceProvider sp) => new RedisTokenCache(
            sp.GetRequiredKeyedService<RedisConnection>(connectionKey), options, sp.GetService<TimeProvider>() ?? TimeProvider.System, Logger(sp));
        IContactIdentityMap Map(IServiceProvider sp) => new RedisContactIdentityMap(
            sp.GetRequiredKeyedService<RedisConnection>(connectionKey), options, sp.GetService<TimeProvider>() ?? TimeProvider.System, Logger(sp));
        if (serviceKey is null)
        {
            services.AddSingleton(Store);
            services.AddSingleton(Cache);
            services.AddSingleton(Map);
        }
        else
        {
            services.AddKeyedSingleton(serviceKey, (sp, _) => Store(sp));
            services.AddKeyedSingleton(serviceKey, (sp, _) => Cache(sp));
            services.AddKeyedSingleton(serviceKey, (sp, _) => Map(sp));
        }
    }
}
