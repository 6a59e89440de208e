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
    /// Whether anyone observes the operations: a listener on the span source or on the duration instrument. When
    /// nobody does, an operation runs as it is (no span, no clock read, no wrapper), so unobserved telemetry costs nothing.
    /// </summary>
    public static bool Observed => ContactListsTelemetry.Source.HasListeners() || ContactListsTelemetry.OperationDuration.Enabled;

    /// <summary>
    /// Runs one neutral operation in a span (<c>ContactLists {operation}</c>) and records its duration and outcome:
    /// success, partial (a bulk result that is not complete), error or cancelled.
    /// </summary>
    public Task<T> TracedAsync<T>(string operation, string? listId, Func<Task<T>> run)
        => TracedAsync(operation, listId, run, static run => run());

    /// <summary>
    /// As <see cref="TracedAsync{T}(string, string?, Func{Task{T}})"/>, with the operation's arguments passed as
    /// <paramref name="state"/> to a static <paramref name="run"/>, so that a call nobody observes allocates nothing here.
    /// </summary>
    public Task<T> TracedAsync<TState, T>(string operation, string? listId, TState state, Func<TState, Task<T>> run)
        => Observed ? ObservedAsync(operation, listId, state, run) : run(state);

    private async Task<T> ObservedAsync<TState, T>(string operation, string? listId, TState state, Func<TState, Task<T>> run)
    {
        using var activity = StartOperation(operation, listId);
        var started = timeProvider.GetTimestamp();
        var outcome = "success";
        try
        {
            var result = await run(state).ConfigureAwait(false);
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

    /// <summary>As <see cref="TracedAsync{T}(string, string?, Func{Task{T}})"/>, for a stream: the span lasts from the first item asked for to the last.</summary>
    public IAsyncEnumerable<T> TracedStreamAsync<T>(string operation, string? listId, IAsyncEnumerable<T> source, CancellationToken cancellationToken = default)
        => Observed ? ObservedStreamAsync(operation, listId, source, cancellationToken) : source;

    private async IAsyncEnumerable<T> ObservedStreamAsync<T>(string operation, string? listId, IAsyncEnumerable<T> source, [EnumeratorCancellation] CancellationToken cancellationToken = default)
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
