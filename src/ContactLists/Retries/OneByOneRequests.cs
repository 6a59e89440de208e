using ContactLists.Http;

namespace ContactLists.Retries;

/// <summary>
/// Requests made one per contact (lookups, creates, updates), several at once, and the one place that decides whether
/// a failure of one of them is that contact's (recorded on it; the others go on) or the call's (the call stops):
/// <list type="bullet">
/// <item>the first goes alone, the rest only once it has an answer: a failure every request would meet (an answer
/// that is not the provider's, a refused token, an open circuit) then costs one request's attempts, not one per
/// request in flight, and ends the call (<see cref="Failures.IsContactsOwn"/>);</item>
/// <item>once a request of the call has been answered, a failure that may be one request's bad luck (a wrong answer,
/// attempts spent on resets) is recorded on its contact and the call goes on, unless it is the call's by nature
/// (<see cref="Failures.IsCallWide"/>) or such failures come one after another, more than twice the concurrency
/// (the path broke down mid-call: stop rather than spend every remaining contact's attempts on it);</item>
/// <item>a request not sent because the caller is stopping (<see cref="SendingStop"/>) is recorded on its contact,
/// left for the next run.</item>
/// </list>
/// </summary>
internal static class OneByOneRequests
{
    /// <summary>
    /// Runs <paramref name="body"/> for each of <paramref name="items"/>: the first alone, the rest at most
    /// <paramref name="concurrency"/> at once; a failure that is the item's goes to <paramref name="failed"/>, any other
    /// ends the call.
    /// </summary>
    public static async Task ForEachAsync<T>(IEnumerable<T> items, int concurrency, Func<T, CancellationToken, ValueTask> body, Action<T, Exception> failed, CancellationToken cancellationToken)
    {
        var all = items as IReadOnlyList<T> ?? [.. items];
        if (all.Count == 0)
        {
            return;
        }

        var streak = new FailureStreak(Math.Max(4, 2 * concurrency));
        await RunAsync(all[0], cancellationToken).ConfigureAwait(false);
        await Parallel.ForEachAsync(all.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, RunAsync).ConfigureAwait(false);

        async ValueTask RunAsync(T item, CancellationToken ct)
        {
            try
            {
                await body(item, ct).ConfigureAwait(false);
                streak.Answered();
            }
            catch (ContactListException ex) when (Failures.IsContactsOwn(ex) || streak.Tolerates(ex))
            {
                failed(item, ex);
            }
            catch (OperationCanceledException stopped) when (SendingStop.IsAbandoned(stopped))
            {
                failed(item, stopped);
            }
        }
    }

    /// <summary>Whether a call has been answered yet, and how many of its requests failed in a row since.</summary>
    private sealed class FailureStreak(int limit)
    {
        private int _answered;
        private int _inARow;

        public void Answered()
        {
            Volatile.Write(ref _answered, 1);
            Volatile.Write(ref _inARow, 0);
        }

        public bool Tolerates(ContactListException error)
            => Volatile.Read(ref _answered) == 1 && !Failures.IsCallWide(error) && Interlocked.Increment(ref _inARow) <= limit;
    }
}
