using System.Diagnostics;

namespace ContactLists.Bulk;

/// <summary>The outcome of checking one contact before it is sent.</summary>
internal readonly record struct ContactCheck(Contact? Normalized, string? Field, string? Reason)
{
    public static ContactCheck Valid(Contact normalized) => new(normalized, null, null);

    public static ContactCheck Invalid(string field, string reason) => new(null, field, reason);

    public bool IsValid => Normalized is not null;
}

/// <summary>One batch handed to a provider adapter to send.</summary>
/// <param name="Index">Zero-based batch position (a replace uses it: the first batch replaces, the rest add).</param>
/// <param name="Contacts">The normalized contacts.</param>
/// <param name="InputIndexes">The input position of each contact.</param>
internal sealed record BulkBatch(int Index, IReadOnlyList<Contact> Contacts, IReadOnlyList<long> InputIndexes);

/// <summary>What the provider answered to a batch.</summary>
/// <param name="Status"><see cref="BatchStatus.Accepted"/> or <see cref="BatchStatus.AcceptedForProcessing"/>.</param>
/// <param name="Action">The provider action used.</param>
/// <param name="RejectedByProvider">Positions within the batch the provider refused, with reasons.</param>
/// <param name="ProviderMessage">What the provider said.</param>
/// <param name="RateLimit">Rate-limit state reported with the response.</param>
/// <param name="ProviderCounts">Counts the provider reported for the batch (such as created and updated), when it did.</param>
/// <param name="MemberIds">The provider ids of the contacts the batch put in the list (needed by a replace by difference).</param>
internal sealed record BatchResponse(
    BatchStatus Status,
    string Action,
    IReadOnlyList<(int Position, string Reason)>? RejectedByProvider = null,
    string? ProviderMessage = null,
    RateLimitInfo? RateLimit = null,
    IReadOnlyDictionary<string, long>? ProviderCounts = null,
    IReadOnlyList<string>? MemberIds = null);

/// <summary>Everything the engine needs to run one bulk operation for one adapter.</summary>
internal sealed class BulkRun
{
    public required string Provider { get; init; }

    public required string ListId { get; init; }

    public required BulkOperation Operation { get; init; }

    /// <summary>The batch size after capping at the provider's limit.</summary>
    public required int BatchSize { get; init; }

    public required BulkOptions Options { get; init; }

    public required Func<Contact, ContactCheck> Check { get; init; }

    public required Func<BulkBatch, CancellationToken, Task<BatchResponse>> Send { get; init; }

    /// <summary>Whether more than one batch makes the operation non-atomic (a replace: the first batch replaces, the rest add).</summary>
    public bool SeveralBatchesAreNonAtomic { get; init; }

    /// <summary>Whether the operation is composed of several provider calls even in one batch (an "empty, then add" replace).</summary>
    public bool NonAtomic { get; init; }

    /// <summary>How many contacts the input holds, when it is a collection (for the progress estimate).</summary>
    public long? Total { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// The one bulk engine every adapter uses: reads the input once as a stream, checks each contact, cuts batches at
/// the provider's limit, sends up to <see cref="BulkOptions.MaxConcurrency"/> batches at once (pacing happens in the
/// HTTP pipeline, and in <see cref="BulkOptions.Pacing"/> when the caller sets a quota of their own), records their
/// outcomes in input order, reports progress, and accounts for every contact exactly once. It holds no more than
/// the batch being filled and the batches in flight, plus the contacts it must report (rejected or not sent).
/// </summary>
internal static class BulkEngine
{
    public static async Task<BulkResult> RunAsync(BulkRun run, IAsyncEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var state = new State(run);
        var inFlight = new Queue<Flight>();
        var concurrency = Math.Max(1, run.Options.MaxConcurrency);
        using var pacer = run.Options.Pacing is { } pacing
            ? new Http.SlidingWindowLogRateLimiter(pacing.BatchesPerWindow, pacing.Window, run.TimeProvider)
            : null;
        var batch = new List<Contact>(Math.Min(run.BatchSize, 1024));
        var indexes = new List<long>(Math.Min(run.BatchSize, 1024));
        var batchIndex = 0;
        Exception? stop = null;

        try
        {
            await foreach (var contact in contacts.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                var index = state.Read++;
                if (contact is null)
                {
                    state.Reject(index, new Contact(), null, "is null");
                    continue;
                }

                var check = run.Check(contact);
                if (!check.IsValid)
                {
                    if (run.Options.InvalidContacts == InvalidContactHandling.Throw)
                    {
                        // Batches already sent finish; the invalid contact and those waiting in the current batch are not sent.
                        await DrainAsync(state, inFlight).ConfigureAwait(false);
                        state.NotSend(batch, indexes, NotSentReason.Stopped, null);
                        state.NotSent.Add(new NotSentContact(index, contact, NotSentReason.Stopped, null));
                        throw new ContactListValidationException(run.Provider, index, check.Field!, check.Reason!)
                        {
                            PartialResult = state.Sent > 0 ? state.ToResult(inputExhausted: false) : null,
                        };
                    }

                    state.Reject(index, contact, check.Field, check.Reason!);
                    continue;
                }

                batch.Add(check.Normalized!);
                indexes.Add(index);
                if (batch.Count == run.BatchSize)
                {
                    stop = await LaunchAsync(state, inFlight, new BulkBatch(batchIndex++, batch, indexes), concurrency, pacer, cancellationToken).ConfigureAwait(false);
                    batch = new List<Contact>(run.BatchSize);
                    indexes = new List<long>(run.BatchSize);
                    if (stop is not null)
                    {
                        break;
                    }
                }
            }

            if (stop is null && batch.Count > 0)
            {
                stop = await LaunchAsync(state, inFlight, new BulkBatch(batchIndex, batch, indexes), concurrency, pacer, cancellationToken).ConfigureAwait(false);
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
        var (response, error) = await flight.Outcome.ConfigureAwait(false);
        var batch = flight.Batch;
        if (response is not null)
        {
            state.Record(batch, response);
            return null;
        }

        state.Sent -= error is OperationCanceledException ? batch.Contacts.Count : 0;
        state.NotSend(batch.Contacts, batch.InputIndexes, error is OperationCanceledException ? NotSentReason.Cancelled : NotSentReason.BatchFailed, batch.Index);
        state.Batches.Add(new BatchOutcome(batch.Index, batch.InputIndexes[0], batch.Contacts.Count, error is OperationCanceledException ? BatchStatus.NotSent : BatchStatus.Failed, "-", error));
        state.Report();
        return error is OperationCanceledException || !state.Run.Options.ContinueOnError ? error : null;
    }

    private static async Task<(BatchResponse? Response, Exception? Error)> SendAsync(BulkRun run, BulkBatch batch, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return (await run.Send(batch, cancellationToken).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            return (null, ex);
        }
        catch (Exception ex) when (ex is ContactListException or HttpRequestException)
        {
            return (null, ex);
        }
    }

    private sealed record Flight(BulkBatch Batch, Task<(BatchResponse? Response, Exception? Error)> Outcome);

    private sealed class State(BulkRun run)
    {
        private readonly long _started = run.TimeProvider.GetTimestamp();

        public BulkRun Run { get; } = run;

        public long Read;
        public long Sent;
        public long Accepted;
        public long AcceptedForProcessing;
        public RateLimitInfo? RateLimit;
        public List<RejectedContact> Rejected { get; } = [];
        public List<NotSentContact> NotSent { get; } = [];
        public List<BatchOutcome> Batches { get; } = [];

        public void Reject(long index, Contact contact, string? field, string reason)
            => Rejected.Add(new RejectedContact(index, contact, field, field is null ? $"The contact {reason}." : $"{field} {reason}", ByProvider: false));

        public void NotSend(IReadOnlyList<Contact> contacts, IReadOnlyList<long> indexes, NotSentReason reason, int? batchIndex)
        {
            for (var i = 0; i < contacts.Count; i++)
            {
                NotSent.Add(new NotSentContact(indexes[i], contacts[i], reason, batchIndex));
            }
        }

        public void Record(BulkBatch batch, BatchResponse response)
        {
            var rejected = response.RejectedByProvider ?? [];
            foreach (var (position, reason) in rejected)
            {
                Rejected.Add(new RejectedContact(batch.InputIndexes[position], batch.Contacts[position], null, reason, ByProvider: true));
            }

            var delivered = batch.Contacts.Count - rejected.Count;
            if (response.Status == BatchStatus.AcceptedForProcessing)
            {
                AcceptedForProcessing += delivered;
            }
            else
            {
                Accepted += delivered;
            }

            RateLimit = response.RateLimit ?? RateLimit;
            Batches.Add(new BatchOutcome(batch.Index, batch.InputIndexes[0], batch.Contacts.Count, response.Status, response.Action, null, response.ProviderMessage, response.ProviderCounts));
            Report();
        }

        public void Report()
        {
            if (Run.Options.Progress is not { } progress)
            {
                return;
            }

            var elapsed = Run.TimeProvider.GetElapsedTime(_started);
            var done = Accepted + AcceptedForProcessing + Rejected.Count + NotSent.Count;
            TimeSpan? remaining = Run.Total is { } total && done > 0 && total >= done
                ? TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(total - done) / done)))
                : null;
            progress.Report(new BulkProgress(Read, Sent, Accepted, AcceptedForProcessing, Rejected.Count, NotSent.Count, Batches.Count, elapsed)
            {
                Total = Run.Total,
                EstimatedRemaining = remaining,
            });
        }

        public BulkResult ToResult(bool inputExhausted)
        {
            Debug.Assert(Accepted + AcceptedForProcessing + Rejected.Count + NotSent.Count == Read, "every contact read is accounted for exactly once");
            return new BulkResult
            {
                Provider = Run.Provider,
                ListId = Run.ListId,
                Operation = Run.Operation,
                Read = Read,
                Sent = Sent,
                Accepted = Accepted,
                AcceptedForProcessing = AcceptedForProcessing,
                Rejected = Rejected.ToArray(),
                NotSent = NotSent.OrderBy(n => n.Index).ToArray(),
                Batches = Batches.OrderBy(b => b.Index).ToArray(),
                IsAtomic = !Run.NonAtomic && !(Run.SeveralBatchesAreNonAtomic && Batches.Count > 1),
                InputExhausted = inputExhausted,
                RateLimit = RateLimit,
            };
        }
    }
}
