namespace ContactLists.Redis;

/// <summary>How ContactLists shares rate-limit budgets, tokens and contact ids on Redis, and what it does when Redis is unreachable.</summary>
public sealed class RedisSharingOptions
{
    /// <summary>The prefix of every key ContactLists writes (<c>{prefix}:pace:…</c>, <c>{prefix}:token:…</c>). Default <c>contactlists</c>.</summary>
    public string KeyPrefix { get; set; } = "contactlists";

    /// <summary>
    /// While Redis is unreachable, each process paces alone at this share of every limit (at least one request per
    /// window), so that the instances together stay under the provider's limit. Set it to 1 / the number of
    /// instances. Default 0.25 (four instances); must be above 0 and at most 1.
    /// </summary>
    public double FallbackShare { get; set; } = 0.25;

    /// <summary>The longest a Redis call may take before Redis counts as unreachable. Default 2 s.</summary>
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>While pacing in-process after a Redis failure, how often Redis is asked (in the background) whether it is back. Default 5 s.</summary>
    public TimeSpan RetryRedisAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a permit whose request never reported back (its process died mid-request) keeps counting. It
    /// should exceed the longest request; default 2 minutes (the SDK's default total request timeout is 30 s).
    /// </summary>
    public TimeSpan PermitHoldLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The longest a waiting permit sleeps before asking again while every permit in the window is still in use. Default 25 ms.</summary>
    public TimeSpan PermitPollInterval { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// How long one process holds the right to fetch an account's token for all. A process that waits longer than
    /// twice this fetches its own, so a crashed holder never blocks the others. Default 10 s.
    /// </summary>
    public TimeSpan TokenLockTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a process waiting for another's token fetch looks for it. Default 50 ms.</summary>
    public TimeSpan TokenPollInterval { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// How long an account's shared contact identity map (SlickText, Messengeo: which provider contact an identity is)
    /// lives after its last write. Default 30 days: a nightly job keeps it; an account no longer synced lets it go.
    /// </summary>
    public TimeSpan ContactIdsLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(KeyPrefix, nameof(KeyPrefix));
        if (!(FallbackShare > 0 && FallbackShare <= 1))
        {
            throw new ArgumentException($"FallbackShare must be above 0 and at most 1, but is {FallbackShare}.", nameof(FallbackShare));
        }

        foreach (var (name, value) in new[]
        {
            (nameof(OperationTimeout), OperationTimeout), (nameof(RetryRedisAfter), RetryRedisAfter), (nameof(PermitHoldLimit), PermitHoldLimit),
            (nameof(PermitPollInterval), PermitPollInterval), (nameof(TokenLockTimeout), TokenLockTimeout), (nameof(TokenPollInterval), TokenPollInterval),
            (nameof(ContactIdsLifetime), ContactIdsLifetime),
        })
        {
            if (value <= TimeSpan.Zero)
            {
                throw new ArgumentException($"{name} must be positive, but is {value}.", name);
            }
        }
    }

    /// <summary>The key of one rate limit of one account.</summary>
    internal string PacingKey(ContactLists.Sharing.AccountRateLimit limit)
        => $"{KeyPrefix}:pace:{limit.Account.ProviderName}:{limit.Account.Id}:{limit.RuleName}";

    /// <summary>The key of one account's contact identity map.</summary>
    internal string ContactsKey(ContactLists.Sharing.ProviderAccount account) => $"{KeyPrefix}:contacts:{account.ProviderName}:{account.Id}";

    /// <summary>The key of one account's token.</summary>
    internal string TokenKey(ContactLists.Sharing.ProviderAccount account) => $"{KeyPrefix}:token:{account.ProviderName}:{account.Id}";
}
