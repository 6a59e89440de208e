namespace ContactLists.Adapters;

// The plan of a sync: the requests a bulk operation sends and the time they take at the documented limits.
internal abstract partial class ContactListClientBase
{
    /// <summary>The account as shared stores and the sync ledger name it: a one-way id.</summary>
    internal Sharing.ProviderAccount Account { get; } = wiring.Account;

    /// <summary>The client's pacer: how long its requests were held back by the rate limits (<see langword="null"/> when it does not pace).</summary>
    internal Http.ClientPacer? Pacer { get; } = wiring.Pacer;

    /// <summary>The provider's documented rate limits, for a plan's time estimate.</summary>
    internal IReadOnlyList<Http.PacingRule> PacingRules { get; } = wiring.PacingRules;

    /// <summary>The address requests are built on, for matching planned requests to <see cref="PacingRules"/>.</summary>
    internal Uri RequestBase { get; } = wiring.RequestBase;

    /// <summary>
    /// The requests a bulk operation on <paramref name="contacts"/> contacts sends, as method, path and count, for a
    /// plan's estimate. <paramref name="withIds"/>: the contacts carry the provider's ids (a sync's removes do), so
    /// providers that look contacts up need not. By default one request per batch.
    /// </summary>
    /// <param name="operation">The operation.</param>
    /// <param name="contacts">How many contacts.</param>
    /// <param name="batchSize">Contacts per batch.</param>
    /// <param name="withIds">Whether the contacts carry provider ids.</param>
    internal virtual IEnumerable<PlannedRequests> PlanRequests(BulkOperation operation, long contacts, int batchSize, bool withIds)
        => [new(HttpMethod.Put, "/", PlannedRequests.Batches(contacts, batchSize))];

    /// <summary>The batch size an operation runs at: the call's, else the account's default, at most the provider's limit.</summary>
    internal int BatchSizeFor(BulkOperation operation, BulkOptions? options)
        => Math.Min(options?.BatchSize ?? DefaultBatchSizeFor(operation), MaxBatchSizeFor(operation));

    /// <summary>
    /// The requests and time of some bulk work at the provider's documented limits: each rule counts the planned
    /// requests it applies to; the slowest rule gives the time (its first window's permits go at once, then one
    /// window per limit's worth).
    /// </summary>
    internal SyncEstimate Estimate(IEnumerable<(BulkOperation Operation, long Contacts, bool WithIds)> work, BulkOptions? options)
    {
        var planned = work.Where(w => w.Contacts > 0).SelectMany(w => PlanRequests(w.Operation, w.Contacts, BatchSizeFor(w.Operation, options), w.WithIds)).ToList();
        var requests = planned.Sum(p => p.Count);
        if (requests == 0)
        {
            return SyncEstimate.None;
        }

        if (PacingRules.Count == 0)
        {
            return new SyncEstimate(requests, null, $"{ProviderName} documents no rate limit: the time depends on how fast it answers");
        }

        (TimeSpan Time, Http.PacingRule Rule)? slowest = null;
        foreach (var rule in PacingRules)
        {
            var count = planned.Where(p => Applies(rule, p)).Sum(p => p.Count);
            var time = count <= rule.PermitLimit ? TimeSpan.Zero : rule.Window * ((double)(count - rule.PermitLimit) / rule.PermitLimit);
            if (count > 0 && (slowest is null || time > slowest.Value.Time))
            {
                slowest = (time, rule);
            }
        }

        return slowest is { } worst
            ? new SyncEstimate(requests, worst.Time, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{worst.Rule.Name}: {worst.Rule.PermitLimit} per {(worst.Rule.Window.TotalMinutes < 2 ? $"{worst.Rule.Window.TotalSeconds:0} s" : SyncEstimate.Format(worst.Rule.Window))}"))
            : new SyncEstimate(requests, TimeSpan.Zero, "no documented limit applies");

        bool Applies(Http.PacingRule rule, PlannedRequests planned)
        {
            using var request = new HttpRequestMessage(planned.Method, new Uri(RequestBase, planned.Path.TrimStart('/')));
            return rule.AppliesTo(request);
        }
    }
}
