using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using System.Diagnostics;

namespace ContactLists.Bulk;

/// <summary>The outcome of checking one contact before it is sent.</summary>
/// <param name="Normalized">The contact as it will be sent, when valid.</param>
/// <param name="Field">The field at fault, when invalid.</param>
/// <param name="Reason">What is wrong, when invalid.</param>
/// <param name="Dropped">Fields of a valid contact the provider has no place for, which will not be sent.</param>
internal readonly record struct ContactCheck(Contact? Normalized, string? Field, string? Reason, IReadOnlyList<string>? Dropped = null)
{
    public static ContactCheck Valid(Contact normalized, IReadOnlyList<string>? dropped = null) => new(normalized, null, null, dropped);

    public static ContactCheck Invalid(string field, string reason) => new(null, field, reason);

    public bool IsValid => Normalized is not null;
}

/// <summary>One batch handed to a provider adapter to send.</summary>
/// <param name="Index">Zero-based batch position.</param>
/// <param name="Contacts">The normalized contacts.</param>
/// <param name="InputIndexes">The input position of each contact.</param>
internal sealed record BulkBatch(int Index, IReadOnlyList<Contact> Contacts, IReadOnlyList<long> InputIndexes)
{
    /// <summary>What the adapter set up for the whole call (<c>ContactListClientBase.BeginBulkCallAsync</c>): reads shared by its batches.</summary>
    public object? Call { get; init; }
}

/// <summary>How an adapter replaces a list's members; the base class runs the steps in order.</summary>
internal enum ReplaceStrategy
{
    /// <summary>The provider cannot replace.</summary>
    None,

    /// <summary>The provider's own overwrite for the first batch (answered before anything else is sent), then adds.</summary>
    OverwriteFirstBatch,

    /// <summary>Empty the list (answered before anything else is sent), then add.</summary>
    EmptyThenAdd,

    /// <summary>Add the new members (each answer names their ids), then remove every former member not among them.</summary>
    Difference,
}

/// <summary>What one batch asks the provider to do.</summary>
internal enum BatchAction
{
    /// <summary>Add the contacts to the list.</summary>
    Add,

    /// <summary>Remove the contacts from the list.</summary>
    Remove,

    /// <summary>Make the contacts the list's only members (the provider's own overwrite).</summary>
    Overwrite,
}

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

/// <summary>Everything the engine needs to run one bulk operation for one adapter.</summary>
internal sealed class BulkRun
{
    public required string Provider { get; init; }

    /// <summary>The client (account) name, for telemetry.</summary>
    public string Account { get; init; } = string.Empty;

    /// <summary>Where batch outcomes are logged (at Debug).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    public required string ListId { get; init; }

    public required BulkOperation Operation { get; init; }

    /// <summary>The batch size after capping at the provider's limit.</summary>
    public required int BatchSize { get; init; }

    public required BulkOptions Options { get; init; }

    /// <summary>Checks a contact as it will be sent (asynchronous only when the provider's fields must be read first, once).</summary>
    public required Func<Contact, CancellationToken, ValueTask<ContactCheck>> Check { get; init; }

    public required Func<BulkBatch, CancellationToken, Task<BatchResponse>> Send { get; init; }

    /// <summary>Why the operation is not atomic when it takes more than one batch (a replace: the first batch replaces, the rest add).</summary>
    public string? SeveralBatchesReason { get; init; }

    /// <summary>Why the operation is not atomic whatever its size (an "empty, then add" replace; a provider that applies later).</summary>
    public string? NonAtomicReason { get; init; }

    /// <summary>
    /// Whether the first batch must complete before any other is sent (the first step of a replace). Its failure
    /// stops the run whatever <see cref="BulkOptions.ContinueOnError"/> says: the later steps only add.
    /// </summary>
    public bool FirstBatchAlone { get; init; }

    /// <summary>
    /// The identity of a checked contact (such as its normalized phone), to send each identity once per run; a
    /// later contact with the same identity is reported as a duplicate. <see langword="null"/> keys are not compared.
    /// </summary>
    public Func<Contact, string?>? IdentityOf { get; init; }

    /// <summary>How many contacts the input holds, when it is a collection (for the progress estimate).</summary>
    public long? Total { get; init; }

    /// <summary>What the adapter set up for the call, handed to every batch (<see cref="BulkBatch.Call"/>).</summary>
    public object? Call { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

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
            ? new Http.SlidingWindowLogRateLimiter(pacing.BatchesPerWindow, pacing.Window, run.TimeProvider)
            : null;
        var batch = new List<Contact>(Math.Min(run.BatchSize, 1024));
        var indexes = new List<long>(Math.Min(run.BatchSize, 1024));
        var seen = run.IdentityOf is null ? null : new Dictionary<string, long>(StringComparer.Ordinal);
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
                if (seen is not null && run.IdentityOf!(normalized) is { } identity && !seen.TryAdd(identity, index))
                {
                    // The same identity twice in one run would be resolved, created or sent twice; the first one stands for both.
                    state.RejectDuplicate(index, contact, seen[identity]);
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
    /// Sends one batch. While the client's circuit breaker is open nothing is sent, so the batch waits the breaker
    /// out and is sent again (up to <see cref="BulkOptions.MaxCircuitBreakerWaits"/> times), instead of failing the
    /// rest of the input in milliseconds. A batch whose failure is transient (after the pipeline's own retries) is
    /// sent again after a backoff, and so are the contacts of an answered batch whose resolution failed transiently,
    /// up to <see cref="BulkOptions.MaxBatchRetries"/> times per batch: membership changes may be repeated, and a
    /// contact whose create answer was lost is found, not created again. Never throws: the outcome says whether the
    /// batch was started, and whether the caller cancelled.
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
        var outcome = await SendWithRetriesAsync(run, batch, cancellationToken).ConfigureAwait(false);
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

    private static async Task<Outcome> SendWithRetriesAsync(BulkRun run, BulkBatch batch, CancellationToken cancellationToken)
    {
        var breakerWaits = 0;
        var retries = 0;
        while (true)
        {
            try
            {
                var response = await run.Send(batch, cancellationToken).ConfigureAwait(false);
                return new(await ResendUnresolvedAsync(run, batch, response, retries, cancellationToken).ConfigureAwait(false), null, true, false);
            }
            catch (ContactListTransientException ex) when (ex.CircuitOpenFor is { } wait && !ex.MayHaveBeenApplied && breakerWaits < run.Options.MaxCircuitBreakerWaits)
            {
                breakerWaits++;
                if (!await WaitAsync(wait, run, cancellationToken).ConfigureAwait(false))
                {
                    return new(null, new OperationCanceledException(cancellationToken), true, true);
                }
            }
            catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
            {
                return new(null, ex, true, true);
            }
#pragma warning disable CA1031 // Any failure of one batch is recorded on that batch; the run returns its result.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!IsTransient(ex) || retries >= run.Options.MaxBatchRetries)
                {
                    return new(null, ex, true, false);
                }

                retries++;
                if (!await WaitAsync(RetryDelay(run, retries), run, cancellationToken).ConfigureAwait(false))
                {
                    return new(null, ex, true, true);
                }
            }
        }
    }

    /// <summary>
    /// Sends again, as a batch of their own, the contacts of an answered batch whose lookup or creation failed
    /// transiently, while the batch's retry budget lasts, and merges what they got into the batch's answer.
    /// </summary>
    private static async Task<BatchResponse> ResendUnresolvedAsync(BulkRun run, BulkBatch batch, BatchResponse response, int retries, CancellationToken cancellationToken)
    {
        while (response.Unresolved is { Count: > 0 } unresolved && retries < run.Options.MaxBatchRetries && unresolved.Any(u => IsTransient(u.Error)))
        {
            retries++;
            if (!await WaitAsync(RetryDelay(run, retries), run, cancellationToken).ConfigureAwait(false))
            {
                return response;
            }

            var positions = unresolved.Where(u => IsTransient(u.Error)).Select(u => u.Position).ToArray();
            var again = new BulkBatch(batch.Index, positions.Select(p => batch.Contacts[p]).ToArray(), positions.Select(p => batch.InputIndexes[p]).ToArray()) { Call = batch.Call };
            try
            {
                response = Merge(response, positions, await run.Send(again, cancellationToken).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return response;
            }
            catch (Exception ex) when (IsTransient(ex))
            {
                // Still failing: the next turn tries again, while the budget lasts.
            }
        }

        return response;
    }

    /// <summary>The answer to a batch, with what a resend of some of its positions got.</summary>
    private static BatchResponse Merge(BatchResponse first, int[] positions, BatchResponse again)
    {
        int Map(int position) => positions[position];
        var resent = positions.ToHashSet();
        return first with
        {
            Status = first.Status == BatchStatus.AcceptedForProcessing || again.Status == BatchStatus.AcceptedForProcessing ? BatchStatus.AcceptedForProcessing : BatchStatus.Accepted,
            RejectedByProvider = [.. first.RejectedByProvider ?? [], .. (again.RejectedByProvider ?? []).Select(r => (Map(r.Position), r.Reason))],
            Unresolved = [.. (first.Unresolved ?? []).Where(u => !resent.Contains(u.Position)), .. (again.Unresolved ?? []).Select(u => (Map(u.Position), u.Error))],
            MemberIds = [.. first.MemberIds ?? [], .. again.MemberIds ?? []],
            ProviderCounts = first.ProviderCounts is null && again.ProviderCounts is null
                ? null
                : (first.ProviderCounts ?? EmptyDropped).Concat(again.ProviderCounts ?? EmptyDropped).GroupBy(c => c.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(c => c.Value), StringComparer.Ordinal),
            RateLimit = again.RateLimit ?? first.RateLimit,
        };
    }

    /// <summary>
    /// A failure that may pass: no answer, a 5xx, a 408, a 429 without a wait hint, an answer that broke off or was not the provider's
    /// (but not one that would come back the same: too large, a redirect). Refusals (4xx), authentication and
    /// validation failures would come back the same and are not repeated.
    /// </summary>
    internal static bool IsTransient(Exception error) => error switch
    {
        ContactListTransientException => true,
        // A 429 whose wait the pipeline found too long (beyond MaxRetryAfter) would meet the same 429 again.
        ContactListRateLimitedException limited => limited.RetryAfter is null,
        ContactListUnexpectedAnswerException answer => answer.Problem is not (UnexpectedAnswerProblem.TooLarge or UnexpectedAnswerProblem.Redirected),
        _ => false,
    };

    /// <summary><see cref="BulkOptions.BatchRetryDelay"/>, doubled per retry (at most 32 times it), with up to a fifth more at random.</summary>
    private static TimeSpan RetryDelay(BulkRun run, int retry)
    {
        var delay = run.Options.BatchRetryDelay * Math.Pow(2, Math.Min(retry - 1, 5));
        return delay + (delay * (Random.Shared.NextDouble() / 5));
    }

    /// <summary>Waits on the run's clock; <see langword="false"/> when the caller cancelled meanwhile.</summary>
    private static async Task<bool> WaitAsync(TimeSpan wait, BulkRun run, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(wait, run.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Debug, Message = "Batch {Index} of {Operation} on {Provider} list {ListId}: {Count} contacts, {Status}, {Rejected} rejected by the provider")]
    private static partial void LogBatchAnswered(ILogger logger, int index, BulkOperation operation, string provider, string listId, int count, BatchStatus status, int rejected);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Debug, Message = "Batch {Index} of {Operation} on {Provider} list {ListId}: {Count} contacts not confirmed ({Failure})")]
    private static partial void LogBatchFailed(ILogger logger, int index, BulkOperation operation, string provider, string listId, int count, Type failure);

    private sealed record Flight(BulkBatch Batch, Task<Outcome> Outcome);

    /// <summary>How one batch ended: its answer, or its failure; whether it was started; whether the caller cancelled it.</summary>
    private readonly record struct Outcome(BatchResponse? Response, Exception? Error, bool Started, bool Canceled);

    private static readonly Dictionary<string, long> EmptyDropped = [];

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

        public Dictionary<string, long>? Dropped;

        public void Reject(long index, Contact contact, string? field, string reason)
        {
            Rejected.Add(new RejectedContact(index, contact, field, field is null ? $"The contact {reason}." : $"{field} {reason}", ByProvider: false));
            CountRejected(1, "sdk");
        }

        private void CountRejected(long count, string by)
        {
            if (count > 0)
            {
                var tags = ContactListsTelemetry.AccountTags(Run.Provider, Run.Account);
                tags.Add(ContactListsTelemetry.RejectedByTag, by);
                ContactListsTelemetry.ContactsRejected.Add(count, tags);
            }
        }

        public void RejectDuplicate(long index, Contact contact, long original)
            => Rejected.Add(new RejectedContact(index, contact, null, $"Duplicate of contact #{original} (same identity); sent once, with that contact.", ByProvider: false)
            {
                DuplicateOf = original,
            });

        public void Drop(IReadOnlyList<string>? fields)
        {
            if (fields is null)
            {
                return;
            }

            Dropped ??= new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var field in fields)
            {
                Dropped[field] = Dropped.GetValueOrDefault(field) + 1;
            }
        }

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

            var unresolved = response.Unresolved ?? [];
            foreach (var (position, error) in unresolved)
            {
                NotSent.Add(new NotSentContact(batch.InputIndexes[position], batch.Contacts[position], NotSentReason.NotResolved, batch.Index) { Error = error });
            }

            var delivered = batch.Contacts.Count - rejected.Count - unresolved.Count;
            ContactListsTelemetry.ContactsAccepted.Add(delivered, ContactListsTelemetry.AccountTags(Run.Provider, Run.Account));
            CountRejected(rejected.Count, "provider");
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
            if (Run.Options.OnBatch is { } onBatch)
            {
                var missed = rejected.Select(r => r.Position).Concat(unresolved.Select(u => u.Position)).ToHashSet();
                onBatch(new BulkBatchReport(
                    batch.Index,
                    response.Status,
                    [.. batch.InputIndexes.Where((_, position) => !missed.Contains(position))],
                    [.. missed.Order().Select(position => batch.InputIndexes[position])]));
            }

            Report();
        }

        public void Report()
        {
            if (Run.Options.Progress is null && Run.Options.OnProgress is null)
            {
                return;
            }

            var elapsed = Run.TimeProvider.GetElapsedTime(_started);
            var done = Accepted + AcceptedForProcessing + Rejected.Count + NotSent.Count;
            TimeSpan? remaining = Run.Total is { } total && done > 0 && total >= done
                ? TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(total - done) / done)))
                : null;
            var report = new BulkProgress(Read, Sent, Accepted, AcceptedForProcessing, Rejected.Count, NotSent.Count, Batches.Count, elapsed)
            {
                Total = Run.Total,
                EstimatedRemaining = remaining,
            };
            Run.Options.OnProgress?.Invoke(report);
            Run.Options.Progress?.Report(report);
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
                NonAtomicReason = Run.NonAtomicReason ?? (Batches.Count > 1 ? Run.SeveralBatchesReason : null),
                DroppedFields = Dropped ?? (IReadOnlyDictionary<string, long>)EmptyDropped,
                InputExhausted = inputExhausted,
                RateLimit = RateLimit,
            };
        }
    }
}
