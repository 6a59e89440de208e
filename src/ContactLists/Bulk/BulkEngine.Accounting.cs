using System.Diagnostics;

namespace ContactLists.Bulk;

// The accounting of one run: every contact read is counted once (sent, accepted, rejected or not sent), in input order.
internal static partial class BulkEngine
{
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
                // A contact whose lookup or create was abandoned unsent on a graceful stop was stopped, not failed.
                var reason = error is OperationCanceledException && Run.Options.StopSending.IsCancellationRequested ? NotSentReason.Cancelled : NotSentReason.NotResolved;
                NotSent.Add(new NotSentContact(batch.InputIndexes[position], batch.Contacts[position], reason, batch.Index) { Error = error });
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
            // A batch's status agrees with its contacts: an answered batch of which some contacts were not sent is partial.
            var status = unresolved.Count == 0 ? response.Status : BatchStatus.Partial;
            Batches.Add(new BatchOutcome(batch.Index, batch.InputIndexes[0], batch.Contacts.Count, status, response.Action, null, response.ProviderMessage, response.ProviderCounts));
            if (Run.Options.OnBatch is { } onBatch)
            {
                var missed = rejected.Select(r => r.Position).Concat(unresolved.Select(u => u.Position)).ToHashSet();
                onBatch(new BulkBatchReport(
                    batch.Index,
                    status,
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
