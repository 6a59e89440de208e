using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace ContactLists.Bulk;

/// <summary>What resolving a batch's contacts to provider contact ids gave.</summary>
/// <param name="Ids">The id of each position; <see langword="null"/> where it was refused or failed.</param>
/// <param name="Rejected">Positions the provider's data refuses (no such contact, cannot be created), with why.</param>
/// <param name="Unresolved">Positions whose lookup or creation failed (after the pipeline's retries), with the failure.</param>
internal sealed record ContactResolution(string?[] Ids, IReadOnlyList<(int Position, string Reason)> Rejected, IReadOnlyList<(int Position, Exception Error)> Unresolved);

/// <summary>
/// Resolves each contact of a batch on its own (find, then create when adding), for providers whose membership calls
/// take contact ids. One contact whose lookup or creation fails does not sink the others: it is reported as not
/// resolved and the rest of the batch is sent. Only when no contact could be resolved, or the client's circuit
/// breaker is open (so the whole batch should wait and be sent again), does the batch fail as a whole.
/// </summary>
internal static class ContactResolver
{
    /// <summary>Runs <paramref name="resolve"/> for every position, <paramref name="concurrency"/> at a time.</summary>
    /// <param name="contacts">The batch's contacts.</param>
    /// <param name="concurrency">How many contacts are resolved at once.</param>
    /// <param name="resolve">Gives the id, or <see langword="null"/> and the reason the contact is refused.</param>
    /// <param name="cancellationToken">Stops the lookups.</param>
    public static async Task<ContactResolution> ResolveEachAsync(
        IReadOnlyList<Contact> contacts,
        int concurrency,
        Func<Contact, CancellationToken, Task<(string? Id, string? Reason)>> resolve,
        CancellationToken cancellationToken)
    {
        var ids = new string?[contacts.Count];
        var rejected = new ConcurrentBag<(int Position, string Reason)>();
        var failed = new ConcurrentBag<(int Position, Exception Error)>();
        await Parallel.ForEachAsync(
            Enumerable.Range(0, contacts.Count),
            new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken },
            async (position, ct) =>
            {
                try
                {
                    var (id, reason) = await resolve(contacts[position], ct).ConfigureAwait(false);
                    ids[position] = id;
                    if (id is null)
                    {
                        rejected.Add((position, reason ?? "The provider has no such contact."));
                    }
                }
                catch (ContactListException ex) when (ex is not ContactListTransientException { CircuitOpenFor: not null })
                {
                    failed.Add((position, ex));
                }
            }).ConfigureAwait(false);

        if (failed.Count == contacts.Count)
        {
            // Nothing to send: the batch failed, with the first position's failure (which says whether it may have been applied).
            ExceptionDispatchInfo.Throw(failed.OrderBy(f => f.Position).First().Error);
        }

        return new ContactResolution(ids, [.. rejected.OrderBy(r => r.Position)], [.. failed.OrderBy(f => f.Position)]);
    }
}
