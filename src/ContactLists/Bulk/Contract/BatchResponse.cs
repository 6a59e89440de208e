namespace ContactLists.Bulk;

/// <summary>What the provider answered to a batch.</summary>
/// <param name="Status"><see cref="BatchStatus.Accepted"/> or <see cref="BatchStatus.AcceptedForProcessing"/>.</param>
/// <param name="Action">The provider action used.</param>
/// <param name="RejectedByProvider">Positions within the batch the provider refused, with reasons.</param>
/// <param name="ProviderMessage">What the provider said.</param>
/// <param name="RateLimit">Rate-limit state reported with the response.</param>
/// <param name="ProviderCounts">Counts the provider reported for the batch (such as created and updated), when it did.</param>
/// <param name="MemberIds">The provider ids of the contacts the batch put in the list (needed by a replace by difference).</param>
/// <param name="Unresolved">Positions within the batch that were not sent because finding or creating their provider contact failed.</param>
internal sealed record BatchResponse(
    BatchStatus Status,
    string Action,
    IReadOnlyList<(int Position, string Reason)>? RejectedByProvider = null,
    string? ProviderMessage = null,
    RateLimitInfo? RateLimit = null,
    IReadOnlyDictionary<string, long>? ProviderCounts = null,
    IReadOnlyList<string>? MemberIds = null,
    IReadOnlyList<(int Position, Exception Error)>? Unresolved = null);
