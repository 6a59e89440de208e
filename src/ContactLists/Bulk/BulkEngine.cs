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
internal sealed record BatchResponse(
    BatchStatus Status,
    string Action,
    IReadOnlyList<(int Position, string Reason)>? RejectedByProvider = null,
    string? ProviderMessage = null,
    RateLimitInfo? RateLimit = null,
    IReadOnlyDictionary<string, long>? ProviderCounts = null);

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

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}

/// <summary>
/// The one bulk engine every adapter uses: reads the input once as a stream, checks each contact, cuts batches at
/// the provider's limit, sends them (pacing happens in the HTTP pipeline), reports progress, and accounts for every
/// contact exactly once. It never holds more than the batch being filled and the batch in flight, plus the
/// contacts it must report (rejected or not sent).
/// </summary>
internal static class BulkEngine
{
    public static async Task<BulkResult> RunAsync(BulkRun run, IAsyncEnumerable<Contact> contacts, CancellationToken cancellationToken)
    {
        var state = new State(run);
        var batch = new List<Contact>(Math.Min(run.BatchSize, 1024));
        var indexes = new List<long>(Math.Min(run.BatchSize, 1024));
        var batchIndex = 0;

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
                        // The invalid contact and those waiting in the current batch are not sent.
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
                    await SendAsync(state, batchIndex++, batch, indexes, cancellationToken).ConfigureAwait(false);
                    batch = new List<Contact>(run.BatchSize);
                    indexes = new List<long>(run.BatchSize);
                }
            }

            if (batch.Count > 0)
            {
                await SendAsync(state, batchIndex, batch, indexes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested && ex is not ContactListBulkCanceledException)
        {
            state.NotSend(batch, indexes, NotSentReason.Cancelled, null);
            throw new ContactListBulkCanceledException(state.ToResult(inputExhausted: false), ex, cancellationToken);
        }

        return state.ToResult(inputExhausted: true);
    }

    private static async Task SendAsync(State state, int batchIndex, List<Contact> batch, List<long> indexes, CancellationToken cancellationToken)
    {
        var run = state.Run;
        var work = new BulkBatch(batchIndex, batch, indexes);
        BatchResponse response;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.Sent += batch.Count;
            response = await run.Send(work, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
        {
            state.Sent -= batch.Count;
            state.NotSend(batch, indexes, NotSentReason.Cancelled, batchIndex);
            state.Batches.Add(new BatchOutcome(batchIndex, indexes[0], batch.Count, BatchStatus.NotSent, "-", ex));
            batch.Clear();
            indexes.Clear();
            throw new ContactListBulkCanceledException(state.ToResult(inputExhausted: false), ex, cancellationToken);
        }
        catch (Exception ex) when (ex is ContactListException or HttpRequestException)
        {
            state.NotSend(batch, indexes, NotSentReason.BatchFailed, batchIndex);
            state.Batches.Add(new BatchOutcome(batchIndex, indexes[0], batch.Count, BatchStatus.Failed, "-", ex));
            state.Report();
            if (!run.Options.ContinueOnError)
            {
                batch.Clear();
                indexes.Clear();
                throw new ContactListBulkException(
                    $"Batch {batchIndex} of the {run.Operation} operation on {run.Provider} list '{run.ListId}' failed: {ex.Message} " +
                    $"{state.Accepted + state.AcceptedForProcessing} contacts were delivered before it; the result on this exception lists what was not.",
                    state.ToResult(inputExhausted: false),
                    ex);
            }

            return;
        }

        var rejected = response.RejectedByProvider ?? [];
        foreach (var (position, reason) in rejected)
        {
            state.Rejected.Add(new RejectedContact(indexes[position], batch[position], null, reason, ByProvider: true));
        }

        var delivered = batch.Count - rejected.Count;
        if (response.Status == BatchStatus.AcceptedForProcessing)
        {
            state.AcceptedForProcessing += delivered;
        }
        else
        {
            state.Accepted += delivered;
        }

        state.RateLimit = response.RateLimit ?? state.RateLimit;
        state.Batches.Add(new BatchOutcome(batchIndex, indexes[0], batch.Count, response.Status, response.Action, null, response.ProviderMessage, response.ProviderCounts));
        state.Report();
    }

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

        public void NotSend(List<Contact> contacts, List<long> indexes, NotSentReason reason, int? batchIndex)
        {
            for (var i = 0; i < contacts.Count; i++)
            {
                NotSent.Add(new NotSentContact(indexes[i], contacts[i], reason, batchIndex));
            }
        }

        public void Report() => Run.Options.Progress?.Report(new BulkProgress(
            Read, Sent, Accepted, AcceptedForProcessing, Rejected.Count, NotSent.Count, Batches.Count, Run.TimeProvider.GetElapsedTime(_started)));

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
                NotSent = NotSent.ToArray(),
                Batches = Batches.ToArray(),
                IsAtomic = !Run.NonAtomic && !(Run.SeveralBatchesAreNonAtomic && Batches.Count > 1),
                InputExhausted = inputExhausted,
                RateLimit = RateLimit,
            };
        }
    }
}
