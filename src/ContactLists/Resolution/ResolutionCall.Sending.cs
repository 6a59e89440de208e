using System.Collections.Concurrent;
using ContactLists.Bulk;

namespace ContactLists.Resolution;

// Sending what a batch resolved to: its memberships in one request, or its contacts' updates one by one. Shared by
// the providers whose membership calls take their own contact ids (SlickText, Messengeo).
internal sealed partial class ResolutionCall
{
    /// <summary>
    /// Resolves a batch and sends its memberships in one request through <paramref name="send"/> (the provider's add or
    /// remove of those ids; in a replace, ids the list already holds are not sent again). An id from the identity map
    /// that the provider no longer knows (a deleted contact: the membership request is answered 404) is forgotten and
    /// its contact resolved again, within this call; then the memberships are sent once more.
    /// </summary>
    public async Task<BatchResponse> SendMembershipsAsync(IReadOnlyList<Contact> contacts, bool remove, string action, Func<IReadOnlyList<string>, CancellationToken, Task<MembershipAnswer>> send, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(contacts, create: !remove, cancellationToken).ConfigureAwait(false);
        MembershipAnswer? answer;
        try
        {
            answer = await SendAsync(resolved).ConfigureAwait(false);
        }
        catch (ContactListNotFoundException) when (resolved.FromMap.Any(known => known))
        {
            var stale = Enumerable.Range(0, contacts.Count).Where(p => resolved.FromMap[p]).ToList();
            await ForgetAsync(contacts, stale, cancellationToken).ConfigureAwait(false);
            var again = await ResolveAsync([.. stale.Select(p => contacts[p] with { Id = null })], create: !remove, cancellationToken).ConfigureAwait(false);
            var ids = (string?[])resolved.Ids.Clone();
            for (var n = 0; n < stale.Count; n++)
            {
                ids[stale[n]] = again.Ids[n];
            }

            resolved = resolved with
            {
                Ids = ids,
                FromMap = new bool[ids.Length],
                Rejected = [.. resolved.Rejected, .. again.Rejected.Select(r => (stale[r.Position], r.Reason))],
                Unresolved = [.. resolved.Unresolved, .. again.Unresolved.Select(u => (stale[u.Position], u.Error))],
            };
            answer = await SendAsync(resolved).ConfigureAwait(false);
        }

        return new BatchResponse(
            BatchStatus.Accepted,
            action,
            resolved.Rejected,
            answer?.Count is { } count ? $"count: {count}" : null,
            answer?.RateLimit,
            answer?.Count is { } counted ? new Dictionary<string, long> { ["count"] = counted } : null,
            MemberIds: resolved.Ids.OfType<string>().Distinct(StringComparer.Ordinal).ToArray(),
            Unresolved: resolved.Unresolved);

        async Task<MembershipAnswer?> SendAsync(ResolvedBatch resolution)
        {
            // In a replace, contacts the list already holds (read once for the call) need no membership request.
            var ids = resolution.Ids.OfType<string>().Distinct(StringComparer.Ordinal)
                .Where(id => remove || Operation != BulkOperation.Replace || !ListReadWhole || !IsMember(id)).ToArray();
            return ids.Length == 0 ? null : await send(ids, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Updates each contact of a batch that resolves (never creating one), one request per contact (each has its own
    /// values) through <paramref name="update"/>, which answers <see langword="false"/> when the provider no longer
    /// knows the id: that contact is rejected and its id forgotten. A contact whose update failed is not delivered
    /// (and sent again while the batch's retries last).
    /// </summary>
    public async Task<BatchResponse> UpdateEachAsync(IReadOnlyList<Contact> contacts, int concurrency, Func<string, Contact, CancellationToken, Task<bool>> update, CancellationToken cancellationToken)
    {
        var resolved = await ResolveAsync(contacts, create: false, cancellationToken).ConfigureAwait(false);
        var rejected = new ConcurrentBag<(int Position, string Reason)>(resolved.Rejected);
        var failed = new ConcurrentBag<(int Position, Exception Error)>(resolved.Unresolved);
        var positions = Enumerable.Range(0, contacts.Count).Where(p => resolved.Ids[p] is not null);
        await Retries.OneByOneRequests.ForEachAsync(positions, concurrency, async (position, ct) =>
        {
            var id = resolved.Ids[position]!;
            if (!await update(id, contacts[position], ct).ConfigureAwait(false))
            {
                rejected.Add((position, $"{directory.ProviderName} no longer has contact {id}."));
                await ForgetAsync(contacts, [position], ct).ConfigureAwait(false);
            }
        }, (position, error) => failed.Add((position, error)), cancellationToken).ConfigureAwait(false);
        return new BatchResponse(BatchStatus.Accepted, "update contacts", [.. rejected.OrderBy(r => r.Position)], Unresolved: [.. failed.OrderBy(f => f.Position)]);
    }
}

/// <summary>What a provider answered to a membership request: the count it gave, and its rate-limit headers.</summary>
/// <param name="Count">The count the answer gave, when it gives one.</param>
/// <param name="RateLimit">The rate-limit headers, when the provider sends them.</param>
internal sealed record MembershipAnswer(long? Count, RateLimitInfo? RateLimit = null);
