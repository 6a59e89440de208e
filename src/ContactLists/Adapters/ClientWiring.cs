using ContactLists.Http;
using ContactLists.Sharing;
using Microsoft.Extensions.Logging;

namespace ContactLists.Adapters;

/// <summary>
/// What every adapter is given by the registration, whatever its provider, so that none exists half-configured: its
/// account's name and one-way id, its clock and logger, its pacer, and what a plan's estimate needs (the provider's
/// documented limits and the address its requests are built on).
/// </summary>
/// <param name="ClientName">The account's registered name.</param>
/// <param name="Account">The account as shared stores and the sync ledger name it.</param>
/// <param name="TimeProvider">The clock.</param>
/// <param name="Logger">The client's logger (<c>ContactLists.{Provider}</c>).</param>
/// <param name="Pacer">The client's pacer, when it paces: how long its requests were held back.</param>
/// <param name="PacingRules">The provider's documented rate limits, for a plan's time estimate (whether or not the client paces to them).</param>
/// <param name="RequestBase">The address requests are built on, for matching planned requests to <paramref name="PacingRules"/>.</param>
internal sealed record ClientWiring(
    string ClientName,
    ProviderAccount Account,
    TimeProvider TimeProvider,
    ILogger Logger,
    ClientPacer? Pacer,
    IReadOnlyList<PacingRule> PacingRules,
    Uri RequestBase);
