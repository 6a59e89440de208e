namespace ContactLists;

/// <summary>Requests a bulk operation will send, of one kind, for a plan's estimate.</summary>
/// <param name="Method">Their method.</param>
/// <param name="Path">A representative path (ids need not be real), to match the provider's rate-limit rules.</param>
/// <param name="Count">How many.</param>
internal sealed record PlannedRequests(HttpMethod Method, string Path, long Count)
{
    /// <summary>The batches <paramref name="contacts"/> contacts make at <paramref name="batchSize"/> a batch.</summary>
    public static long Batches(long contacts, int batchSize) => contacts <= 0 ? 0 : ((contacts - 1) / Math.Max(1, batchSize)) + 1;
}
