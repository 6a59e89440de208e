using System.Runtime.CompilerServices;

namespace ContactLists.Diagnostics;

/// <summary>
/// Traces and measures the neutral operations of one client: a span per operation (<c>ContactLists {operation}</c>)
/// and its duration and outcome in <see cref="ContactListsTelemetry.OperationDuration"/>. Kept apart from the client so
/// that the client reads as argument checks and dispatch.
/// </summary>
internal sealed class OperationTracer(string provider, string account, TimeProvider timeProvider)
{
    /// <summary>
    /// Runs one neutral operation in a span (<c>ContactLists {operation}</c>) and records its duration and outcome:
    /// success, partial (a bulk result that is not complete), error or cancelled.
    /// </summary>
    public async Task<T> TracedAsync<T>(string operation, string? listId, Func<Task<T>> run)
    {
        using var activity = StartOperation(operation, listId);
        var started = timeProvider.GetTimestamp();
        var outcome = "success";
        try
        {
            var result = await run().ConfigureAwait(false);
            if (result is BulkResult bulk)
            {
                outcome = bulk.IsComplete ? "success" : "partial";
                activity?.SetTag(ContactListsTelemetry.AcceptedTag, bulk.Accepted + bulk.AcceptedForProcessing);
                activity?.SetTag(ContactListsTelemetry.RejectedTag, bulk.Rejected.Count);
            }

            activity?.SetTag(ContactListsTelemetry.OutcomeTag, outcome);
            return result;
        }
        catch (Exception ex)
        {
            outcome = ContactListsTelemetry.FailureOutcome(ex);
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
        finally
        {
            RecordOperation(operation, outcome, started);
        }
    }

    /// <summary>As <see cref="TracedAsync"/>, for a stream: the span lasts from the first item asked for to the last.</summary>
    public async IAsyncEnumerable<T> TracedStreamAsync<T>(string operation, string? listId, IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var activity = StartOperation(operation, listId);
        var started = timeProvider.GetTimestamp();
        var outcome = "success";
        var items = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    outcome = ContactListsTelemetry.FailureOutcome(ex);
                    ContactListsTelemetry.SetFailure(activity, ex);
                    throw;
                }

                if (!more)
                {
                    activity?.SetTag(ContactListsTelemetry.OutcomeTag, outcome);
                    break;
                }

                yield return items.Current;
            }
        }
        finally
        {
            await items.DisposeAsync().ConfigureAwait(false);
            RecordOperation(operation, outcome, started);
        }
    }

    private System.Diagnostics.Activity? StartOperation(string operation, string? listId)
    {
        var activity = ContactListsTelemetry.Source.StartActivity("ContactLists " + operation);
        if (activity is not null)
        {
            activity.SetTag(ContactListsTelemetry.ProviderTag, provider);
            activity.SetTag(ContactListsTelemetry.AccountTag, account);
            activity.SetTag(ContactListsTelemetry.OperationTag, operation);
            activity.SetTag(ContactListsTelemetry.ListTag, listId);
        }

        return activity;
    }

    private void RecordOperation(string operation, string outcome, long started)
    {
        var tags = ContactListsTelemetry.AccountTags(provider, account);
        tags.Add(ContactListsTelemetry.OperationTag, operation);
        tags.Add(ContactListsTelemetry.OutcomeTag, outcome);
        ContactListsTelemetry.OperationDuration.Record(timeProvider.GetElapsedTime(started).TotalSeconds, tags);
    }
}
