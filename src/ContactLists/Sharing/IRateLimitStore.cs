using System.Threading.RateLimiting;
using ContactLists.RateLimiting;

namespace ContactLists.Sharing;

/// <summary>
/// One documented rate limit of one provider account: at most <see cref="PermitLimit"/> matching requests in any
/// window of <see cref="Window"/>.
/// </summary>
/// <param name="Account">The account the limit belongs to.</param>
/// <param name="RuleName">The rule, such as <c>Whippy contact-list writes</c>; unique within the account.</param>
/// <param name="PermitLimit">Requests allowed per window.</param>
/// <param name="Window">The window.</param>
public sealed record AccountRateLimit(ProviderAccount Account, string RuleName, int PermitLimit, TimeSpan Window);

/// <summary>
/// Where the pacing of each account's rate limits is kept. The default, <see cref="InProcessRateLimitStore"/>, paces
/// each process on its own; a shared store (such as <c>ContactLists.Redis</c>) lets several processes that use one
/// account share its budget. Register one for all accounts as a singleton <see cref="IRateLimitStore"/>, or for one
/// account as a keyed singleton under the client's name.
/// </summary>
public interface IRateLimitStore
{
    /// <summary>
    /// Creates the limiter of one rule of one account. Its contract: at most <see cref="AccountRateLimit.PermitLimit"/>
    /// permits in any window of <see cref="AccountRateLimit.Window"/>, across every process sharing the store, where
    /// a permit counts from the moment its lease is disposed (when the request's answer arrived) and counts while it
    /// is held. <see cref="RateLimiter.AcquireAsync"/> waits for a permit; it must not wait forever when the store is
    /// unreachable.
    /// </summary>
    /// <param name="partition">The rule and the account.</param>
    /// <param name="timeProvider">The clock the SDK runs on.</param>
    RateLimiter CreateLimiter(AccountRateLimit partition, TimeProvider timeProvider);
}

/// <summary>Paces each process on its own, with an exact sliding-window log in memory (the default).</summary>
public sealed class InProcessRateLimitStore : IRateLimitStore
{
    /// <summary>The one instance.</summary>
    public static InProcessRateLimitStore Instance { get; } = new();

    private InProcessRateLimitStore()
    {
    }

    /// <inheritdoc/>
    public RateLimiter CreateLimiter(AccountRateLimit partition, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(partition);
        ArgumentNullException.ThrowIfNull(timeProvider);
        return new SlidingWindowLogRateLimiter(partition.PermitLimit, partition.Window, timeProvider);
    }
}
