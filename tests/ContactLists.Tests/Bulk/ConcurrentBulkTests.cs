using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.Bulk;

/// <summary>The bulk engine with several batches in flight: bounded concurrency, outcomes in input order, exact accounting.</summary>
public sealed class ConcurrentBulkTests
{
    /// <summary>Holds every request until the test answers it.</summary>
    private sealed class GatedHandler : HttpMessageHandler
    {
        private readonly ConcurrentQueue<(string FirstPhone, TaskCompletionSource<HttpStatusCode> Answer)> _pending = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private int _inFlight;

        public int MaxInFlight { get; private set; }

        public int Received { get; private set; }

        public async Task<(string FirstPhone, TaskCompletionSource<HttpStatusCode> Answer)> NextAsync()
        {
            (await _arrived.WaitAsync(TimeSpan.FromSeconds(30))).Should().BeTrue("a request should arrive");
            _pending.TryDequeue(out var next).Should().BeTrue();
            return next;
        }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(cancellationToken))!;
            var answer = new TaskCompletionSource<HttpStatusCode>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (this)
            {
                Received++;
                MaxInFlight = Math.Max(MaxInFlight, ++_inFlight);
            }

            _pending.Enqueue((body["members"]![0]!["phone"]!.GetValue<string>(), answer));
            _arrived.Release();
            try
            {
                var status = await answer.Task.WaitAsync(cancellationToken);
                return StubHandler.Json(status, status == HttpStatusCode.Accepted ? TestProviderHost.Queued : TestProviderHost.Error("The list is archived"));
            }
            finally
            {
                lock (this)
                {
                    _inFlight--;
                }
            }
        }
    }

    private static ServiceProvider Build(GatedHandler handler)
        => TestProviderHost.Build(primaryHandler: handler);

    private static Contact[] Contacts(int count) => Enumerable.Range(0, count).Select(TestHost.Contact).ToArray();

    private static void ShouldAccountForEveryContact(BulkResult result)
        => (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read);

    [Fact]
    public async Task At_most_MaxConcurrency_batches_are_in_flight_and_outcomes_stay_in_input_order()
    {
        var handler = new GatedHandler();
        await using var services = Build(handler);
        var contacts = Contacts(20);

        var run = services.Client().AddContactsAsync("l1", contacts, new BulkOptions { BatchSize = 2, MaxConcurrency = 4 });
        var first = new[] { await handler.NextAsync(), await handler.NextAsync(), await handler.NextAsync(), await handler.NextAsync() };
        handler.Received.Should().Be(4, "a fifth batch waits for a free slot");
        foreach (var request in first.Reverse())
        {
            request.Answer.SetResult(HttpStatusCode.Accepted); // answered out of order
        }

        for (var i = 4; i < 10; i++)
        {
            (await handler.NextAsync()).Answer.SetResult(HttpStatusCode.Accepted);
        }

        var result = await run.WaitAsync(TimeSpan.FromSeconds(30));
        handler.MaxInFlight.Should().Be(4);
        result.AcceptedForProcessing.Should().Be(20);
        result.Batches.Select(b => (b.Index, b.FirstContactIndex)).Should().Equal(Enumerable.Range(0, 10).Select(i => (i, (long)i * 2)));
        ShouldAccountForEveryContact(result);
    }

    [Fact]
    public async Task A_failed_batch_under_concurrency_lets_the_batches_in_flight_finish_and_accounts_for_every_contact()
    {
        var handler = new GatedHandler();
        await using var services = Build(handler);

        var run = services.Client().AddContactsAsync("l1", Contacts(30), new BulkOptions { BatchSize = 2, MaxConcurrency = 3 });
        var batches = new[] { await handler.NextAsync(), await handler.NextAsync(), await handler.NextAsync() };
        batches[0].Answer.SetResult(HttpStatusCode.UnprocessableEntity);
        batches[2].Answer.SetResult(HttpStatusCode.Accepted);
        batches[1].Answer.SetResult(HttpStatusCode.Accepted);

        var error = (await FluentActions.Awaiting(() => run.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<ContactListBulkException>()).Which;

        var result = error.Result;
        ShouldAccountForEveryContact(result);
        result.AcceptedForProcessing.Should().Be(4, "the two batches already in flight were delivered");
        result.NotSent.Where(n => n.Reason == NotSentReason.BatchFailed).Select(n => n.Index).Should().Equal(0L, 1L);
        result.NotSent.Where(n => n.Reason == NotSentReason.Stopped).Should().OnlyContain(n => n.Index >= 6);
        result.Batches.Select(b => b.Status).Should().Equal(BatchStatus.Failed, BatchStatus.AcceptedForProcessing, BatchStatus.AcceptedForProcessing);
        result.InputExhausted.Should().BeFalse();
        handler.Received.Should().Be(3);
    }

    [Fact]
    public async Task Cancellation_mid_stream_under_concurrency_accounts_for_every_contact()
    {
        var handler = new GatedHandler();
        await using var services = Build(handler);
        using var cancel = new CancellationTokenSource();

        var twoDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var progress = new SynchronousProgress(p =>
        {
            if (p.BatchesCompleted == 2)
            {
                twoDone.TrySetResult();
            }
        });

        var run = services.Client().AddContactsAsync("l1", Endless(), new BulkOptions { BatchSize = 2, MaxConcurrency = 3, Progress = progress }, cancel.Token);
        (await handler.NextAsync()).Answer.SetResult(HttpStatusCode.Accepted);
        (await handler.NextAsync()).Answer.SetResult(HttpStatusCode.Accepted);
        await twoDone.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cancel.CancelAsync();

        var error = (await FluentActions.Awaiting(() => run.WaitAsync(TimeSpan.FromSeconds(30))).Should().ThrowAsync<ContactListBulkCanceledException>()).Which;

        var result = error.Result;
        ShouldAccountForEveryContact(result);
        result.AcceptedForProcessing.Should().Be(4);
        // The third batch was out (its request reached the handler) when the run was cancelled: the provider may have
        // applied it, so it is not reported as simply cancelled.
        result.NotSent.Where(n => n.BatchIndex == 2).Should().HaveCount(2).And.OnlyContain(n => n.Reason == NotSentReason.MayHaveBeenReceived);
        result.NotSent.Should().OnlyContain(n => n.Reason == NotSentReason.Cancelled || n.Reason == NotSentReason.MayHaveBeenReceived);
        result.NotSent.Where(n => n.BatchIndex == null).Should().NotContain(n => n.Reason != NotSentReason.Cancelled);
        result.NotSent.Select(n => n.Index).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        result.InputExhausted.Should().BeFalse();
    }

    [Fact]
    public async Task A_quota_of_the_callers_own_paces_the_batches_on_the_clients_clock()
    {
        var time = new ObservableFakeTimeProvider();
        var stub = StubHandler.Always(HttpStatusCode.Accepted, TestProviderHost.Queued);
        await using var services = TestProviderHost.Build(timeProvider: time, primaryHandler: stub);

        var run = services.Client().AddContactsAsync("l1", Contacts(6), new BulkOptions { BatchSize = 1, Pacing = new BulkPacing(4, TimeSpan.FromMinutes(1)) });
        await time.WaitForTimerAsync(d => d == TimeSpan.FromMinutes(1));
        stub.Requests.Should().HaveCount(4);
        time.Advance(TimeSpan.FromMinutes(1));

        (await run.WaitAsync(TimeSpan.FromSeconds(30))).AcceptedForProcessing.Should().Be(6);
        stub.Requests.Should().HaveCount(6);
    }

    private sealed class SynchronousProgress(Action<BulkProgress> report) : IProgress<BulkProgress>
    {
        public void Report(BulkProgress value) => report(value);
    }

    private static async IAsyncEnumerable<Contact> Endless([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; ; i++)
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return TestHost.Contact(i);
        }
    }
}
