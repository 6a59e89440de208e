using ContactLists.Retries;
using ContactLists.Identity;
using Microsoft.Extensions.Logging;

namespace ContactLists.Bulk;

/// <summary>
/// The one bulk engine every adapter uses: reads the input once as a stream, checks each contact, cuts batches at
/// the provider's limit, sends up to <see cref="BulkOptions.MaxConcurrency"/> batches at once (pacing happens in the
/// HTTP pipeline, and in <see cref="BulkOptions.Pacing"/> when the caller sets a quota of their own), records their
/// outcomes in input order, reports progress, and accounts for every contact exactly once. It holds no more than
/// the batch being filled and the batches in flight, plus the contacts it must report (rejected or not sent).
/// </summary>
internal static partial class BulkEngine
{
    public static async Task<BulkResult> RunAsync(BulkRun run, IAsyncEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var state = new State(run);
        var inFlight = new Queue<Flight>();
        var concurrency = Math.Max(1, run.Options.MaxConcurrency);
        using var pacer = run.Options.Pacing is { } pacing
            ? new RateLimiting.SlidingWindowLogRateLimiter(pacing.BatchesPerWindow, pacing.Window, run.TimeProvider)
            : null;
        var batch = new List<Contact>(Math.Min(run.BatchSize, 1024));
        var indexes = new List<long>(Math.Min(run.BatchSize, 1024));
        // Each identity's first position, by its hash (a million strings would be ~80 MB): not kept for a job's input
        // that its plan already made distinct.
        var seen = run.IdentityOf is null || run.Options.InputDistinct ? null : new Dictionary<IdentityHash, long>();
        var batchIndex = 0;
        Exception? stop = null;
        Exception? inputFailure = null;
        var input = contacts.GetAsyncEnumerator(cancellationToken);
        var inputPending = false;

        try
        {
            while (true)
            {
                if (run.Options.StopSending.IsCancellationRequested)
                {
                    // A graceful stop: nothing more is read or sent; what is in flight finishes below.
                    stop = new OperationCanceledException("The operation was asked to stop sending.", run.Options.StopSending);
                    break;
                }

                bool more;
                try
                {
                    // An input that ignores the token is still stopped by it: the wait for its next item is what is cancelled.
                    var next = input.MoveNextAsync();
                    if (next.IsCompleted)
                    {
                        more = await next.ConfigureAwait(false);
                    }
                    else
                    {
                        inputPending = true;
                        more = await next.AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
                        inputPending = false;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    inputFailure = ex;
                    break;
                }

                if (!more)
                {
                    break;
                }

                var contact = input.Current;
                var index = state.Read++;
                if (contact is null)
                {
                    state.Reject(index, new Contact(), null, "is null");
                    continue;
                }

                var check = await run.Check(contact, cancellationToken).ConfigureAwait(false);
                if (!check.IsValid)
                {
                    if (run.Options.InvalidContacts == InvalidContactHandling.Throw)
                    {
                        // Batches already sent finish; the invalid contact and those waiting in the current batch are not sent.
                        await DrainAsync(state, inFlight).ConfigureAwait(false);
                        state.NotSend(batch, indexes, NotSentReason.Stopped, null);
                        state.NotSent.Add(new NotSentContact(index, contact, NotSentReason.Stopped, null));
                        var invalid = new ContactListValidationException(run.Provider, index, check.Field!, check.Reason!);
                        if (state.Sent == 0)
                        {
                            // Nothing was sent: bad input, refused before any request (an ArgumentException, by .NET convention).
                            throw invalid;
                        }

                        // Requests were sent: the failure is a ContactListException that says what was delivered.
                        throw new ContactListBulkException(
                            $"{invalid.Message} The {run.Operation} operation on {run.Provider} list '{run.ListId}' stopped there; " +
                            $"{state.Accepted + state.AcceptedForProcessing} contacts were delivered before; the result on this exception says what was and was not.",
                            state.ToResult(inputExhausted: false),
                            invalid);
                    }

                    state.Reject(index, contact, check.Field, check.Reason!);
                    continue;
                }

                var normalized = check.Normalized!;
                if (seen is not null && run.IdentityOf!(normalized) is { } identity && !seen.TryAdd(IdentityHash.Of(identity), index))
                {
                    // The same identity twice in one run would be resolved, created or sent twice; the first one stands for both.
                    state.RejectDuplicate(index, contact, seen[IdentityHash.Of(identity)]);
                    continue;
                }

                state.Drop(check.Dropped);
                batch.Add(normalized);
                indexes.Add(index);
                if (batch.Count == run.BatchSize)
                {
                    stop = await LaunchAsync(state, inFlight, new BulkBatch(batchIndex++, batch, indexes) { Call = run.Call }, concurrency, pacer, cancellationToken).ConfigureAwait(false);
                    batch = new List<Contact>(run.BatchSize);
                    indexes = new List<long>(run.BatchSize);
                    if (stop is not null)
                    {
                        break;
                    }
                }
            }

            if (stop is null && inputFailure is null && batch.Count > 0)
            {
                stop = await LaunchAsync(state, inFlight, new BulkBatch(batchIndex, batch, indexes) { Call = run.Call }, concurrency, pacer, cancellationToken).ConfigureAwait(false);
                batch = [];
                indexes = [];
            }

            stop ??= await DrainAsync(state, inFlight).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex is not ContactListBulkCanceledException)
        {
            await DrainAsync(state, inFlight).ConfigureAwait(false);
            state.NotSend(batch, indexes, NotSentReason.Cancelled, null);
            throw new ContactListBulkCanceledException(state.ToResult(inputExhausted: false), ex, cancellationToken);
        }
        finally
        {
            // An input still computing its next item (it ignored the token) cannot be disposed; it is left to finish alone.
            if (!inputPending)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (inputFailure is not null)
        {
            await DrainAsync(state, inFlight).ConfigureAwait(false);
            state.NotSend(batch, indexes, NotSentReason.Stopped, null);
            throw new ContactListBulkException(
                $"Reading the input of the {run.Operation} operation on {run.Provider} list '{run.ListId}' failed at position {state.Read}: {inputFailure.Message} " +
                $"{state.Accepted + state.AcceptedForProcessing} contacts were delivered before; the result on this exception says what was and was not.",
                state.ToResult(inputExhausted: false),
                inputFailure)
            {
                FailedInputIndex = state.Read,
            };
        }

        if (stop is not null)
        {
            await DrainAsync(state, inFlight).ConfigureAwait(false);
            if (stop is OperationCanceledException canceled)
            {
                state.NotSend(batch, indexes, NotSentReason.Cancelled, null);
                throw new ContactListBulkCanceledException(state.ToResult(inputExhausted: false), canceled, cancellationToken);
            }

            var failed = state.Batches.First(b => b.Status == BatchStatus.Failed);
            throw new ContactListBulkException(
                $"Batch {failed.Index} of the {run.Operation} operation on {run.Provider} list '{run.ListId}' failed: {stop.Message} " +
                $"{state.Accepted + state.AcceptedForProcessing} contacts were delivered; the result on this exception lists what was not.",
                state.ToResult(inputExhausted: false),
                stop);
        }

        return state.ToResult(inputExhausted: true);
    }

    /// <summary>Starts a batch once a slot is free; returns what stops the run (a failure without ContinueOnError, or a cancellation), if anything.</summary>
    private static async Task<Exception?> LaunchAsync(State state, Queue<Flight> inFlight, BulkBatch batch, int concurrency, System.Threading.RateLimiting.RateLimiter? pacer, CancellationToken cancellationToken)
    {
        while (inFlight.Count >= concurrency)
        {
            if (await CompleteNextAsync(state, inFlight).ConfigureAwait(false) is { } stop)
            {
                state.NotSend(batch.Contacts, batch.InputIndexes, stop is OperationCanceledException ? NotSentReason.Cancelled : NotSentReason.Stopped, batch.Index);
                return stop;
            }
        }

        if (pacer is not null)
        {
            try
            {
                using var lease = await pacer.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                state.NotSend(batch.Contacts, batch.InputIndexes, NotSentReason.Cancelled, batch.Index);
                return ex;
            }
        }

        state.Sent += batch.Contacts.Count;
        inFlight.Enqueue(new Flight(batch, SendAsync(state.Run, batch, cancellationToken)));
        if (state.Run.FirstBatchAlone && batch.Index == 0)
        {
            // The first step (an overwrite, or empty-then-add) is answered before any later step is sent.
            return await DrainAsync(state, inFlight).ConfigureAwait(false);
        }

        return null;
    }

    private static async Task<Exception?> DrainAsync(State state, Queue<Flight> inFlight)
    {
        Exception? first = null;
        while (inFlight.Count > 0)
        {
            // Every batch in flight is awaited and recorded, whatever stopped the run.
            var stop = await CompleteNextAsync(state, inFlight).ConfigureAwait(false);
            first ??= stop;
        }

        return first;
    }

    /// <summary>Waits for the oldest batch in flight and records its outcome, so outcomes stay in input order.</summary>
    private static async Task<Exception?> CompleteNextAsync(State state, Queue<Flight> inFlight)
    {
        var flight = inFlight.Dequeue();
        var (response, error, started, canceled) = await flight.Outcome.ConfigureAwait(false);
        var batch = flight.Batch;
        if (response is not null)
        {
            state.Record(batch, response);
            return null;
        }

        // A batch whose request may have reached the provider is never reported as simply not sent.
        var reason = (canceled && started) || error is ContactListException { MayHaveBeenApplied: true }
            ? NotSentReason.MayHaveBeenReceived
            : canceled ? NotSentReason.Cancelled : NotSentReason.BatchFailed;
        state.Sent -= canceled && !started ? batch.Contacts.Count : 0;
        state.NotSend(batch.Contacts, batch.InputIndexes, reason, batch.Index);
        var status = canceled && !started ? BatchStatus.NotSent : BatchStatus.Failed;
        state.Batches.Add(new BatchOutcome(batch.Index, batch.InputIndexes[0], batch.Contacts.Count, status, "-", error));
        state.Run.Options.OnBatch?.Invoke(new BulkBatchReport(batch.Index, status, [], batch.InputIndexes));
        state.Report();
        var firstStep = state.Run.FirstBatchAlone && batch.Index == 0;
        return canceled || firstStep || !state.Run.Options.ContinueOnError ? error : null;
    }

    /// <summary>
    /// Sends one batch, with the batch layer's retries (<see cref="BatchResend"/>), in its own span, and logs how it
    /// ended. Never throws: the outcome says whether the batch was started, and whether the caller cancelled.
    /// </summary>
    private static async Task<Outcome> SendAsync(BulkRun run, BulkBatch batch, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return new(null, new OperationCanceledException(cancellationToken), false, true);
        }

        using var activity = ContactListsTelemetry.Source.StartActivity("ContactLists " + run.Operation + " batch");
        activity?.SetTag(ContactListsTelemetry.ProviderTag, run.Provider);
        activity?.SetTag(ContactListsTelemetry.AccountTag, run.Account);
        activity?.SetTag(ContactListsTelemetry.ListTag, run.ListId);
        activity?.SetTag(ContactListsTelemetry.BatchIndexTag, batch.Index);
        activity?.SetTag(ContactListsTelemetry.BatchSizeTag, batch.Contacts.Count);
        ContactListsTelemetry.ContactsSent.Add(batch.Contacts.Count, ContactListsTelemetry.AccountTags(run.Provider, run.Account));
        var outcome = await BatchResend.SendAsync(run, batch, cancellationToken).ConfigureAwait(false);
        if (outcome.Response is { } response)
        {
            activity?.SetTag(ContactListsTelemetry.BatchStatusTag, response.Status.ToString());
            activity?.SetTag(ContactListsTelemetry.RejectedTag, response.RejectedByProvider?.Count ?? 0);
            activity?.SetTag(ContactListsTelemetry.OutcomeTag, "success");
            LogBatchAnswered(run.Logger, batch.Index, run.Operation, run.Provider, run.ListId, batch.Contacts.Count, response.Status, response.RejectedByProvider?.Count ?? 0);
        }
        else if (outcome.Error is { } error)
        {
            ContactListsTelemetry.SetFailure(activity, error);
            var failure = error.GetType();
            LogBatchFailed(run.Logger, batch.Index, run.Operation, run.Provider, run.ListId, batch.Contacts.Count, failure);
        }

        return outcome;
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Batch {Index} of {Operation} on {Provider} list {ListId}: {Count} contacts, {Status}, {Rejected} rejected by the provider")]
    private static partial void LogBatchAnswered(ILogger logger, int index, BulkOperation operation, string provider, string listId, int count, BatchStatus status, int rejected);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Batch {Index} of {Operation} on {Provider} list {ListId}: {Count} contacts not confirmed ({Failure})")]
    private static partial void LogBatchFailed(ILogger logger, int index, BulkOperation operation, string provider, string listId, int count, Type failure);

    private sealed record Flight(BulkBatch Batch, Task<Outcome> Outcome);

    /// <summary>How one batch ended: its answer, or its failure; whether it was started; whether the caller cancelled it.</summary>
    internal readonly record struct Outcome(BatchResponse? Response, Exception? Error, bool Started, bool Canceled);
}
