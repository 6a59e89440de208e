using ContactLists.Emulator;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using NightlySync;

namespace ContactLists.Tests.Hosting;

/// <summary>
/// Issue 30: samples/NightlySync as it runs, against the emulator with a fake clock: two occurrences (the second sends
/// no write), a stop (SIGTERM) in the middle of a run resumed at the next occurrence by a new process, and settings
/// checked at start.
/// </summary>
public sealed class NightlySyncSampleTests : IAsyncLifetime
{
    private static readonly string Export = Path.Combine(Repository.Root, "samples", "customers.csv");
    private readonly string _folder = Directory.CreateTempSubdirectory("nightlysync-").FullName;
    private ContactListsEmulator _emulator = null!;

    public async Task InitializeAsync() => _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task Two_occurrences_sync_the_export_then_send_no_write()
    {
        var listId = await CreateListAsync();
        var job = await StartAsync(At(7, 1), listId);

        var first = await job.NextRunAsync();
        var writes = Writes();
        var second = await job.NextRunAsync();
        await job.DisposeAsync();

        first.Outcome.Should().Be(SyncRunOutcome.Completed, first.Reason);
        first.StartedAt.Should().Be(At(7, 2), "the run starts at the schedule's occurrence");
        first.Result!.AddedCount.Should().BeGreaterThan(50);
        second.Outcome.Should().Be(SyncRunOutcome.Completed, second.Reason);
        second.StartedAt.Should().Be(At(8, 2));
        (second.Result!.AddedCount, second.Result.UpdatedCount, second.Result.RemovedCount).Should().Be((0L, 0L, 0L));
        Writes().Should().Be(writes, "the second occurrence sends no write: nothing changed");
        _emulator.Messengeo.State.GetMemberMobiles(listId).Should().HaveCount((int)first.Result.AddedCount);
    }

    [Fact]
    public async Task A_stop_in_the_middle_of_a_run_is_resumed_at_the_next_occurrence_by_a_new_process()
    {
        var listId = await CreateListAsync();
        var gate = new Gate(holdFrom: 3);
        var stopped = await StartAsync(At(7, 1), listId, gate);
        await stopped.AdvanceToNextOccurrenceAsync();
        await gate.Reached.WaitAsync(TimeSpan.FromSeconds(30));

        // SIGTERM reaches the worker: no new batch from here; the ones already sent are answered.
        var worker = stopped.Host.Services.GetServices<IHostedService>().Single(s => s.GetType().Name == "NightlySyncWorker");
        var stopping = worker.StopAsync(CancellationToken.None);
        gate.Release();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        var partial = await stopped.Runs.Ended.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        await stopped.DisposeAsync();

        var resumed = await StartAsync(At(7, 3), listId);
        var run = await resumed.NextRunAsync();
        var ledger = resumed.Host.Services.GetRequiredService<ISyncLedger>();
        var client = resumed.Host.Services.GetRequiredService<IContactListClientFactory>().GetClient("crm");
        var record = await ledger.GetRunAsync(new ContactListSync(client, ledger).TargetOf(listId));
        await resumed.DisposeAsync();

        partial.Outcome.Should().Be(SyncRunOutcome.Partial);
        partial.Result!.AddedCount.Should().BeInRange(20, 50, "the batches answered before the stop, and those in flight");
        run.Outcome.Should().Be(SyncRunOutcome.Completed, run.Reason);
        run.StartedAt.Should().Be(At(8, 2), "the next occurrence, not at start-up");
        run.Result!.Plan.ResumesRunStartedAt.Should().Be(At(7, 2));
        var total = partial.Result.AddedCount + run.Result.AddedCount;
        run.Result.Plan.Unchanged.Should().Be(partial.Result.AddedCount, "what was answered before the stop is not sent again");
        _emulator.Messengeo.State.GetMemberMobiles(listId).Should().HaveCount((int)total);
        _emulator.Messengeo.State.ContactCount.Should().Be((int)total, "no contact was created twice");
        record!.Outcome.Should().Be(SyncRunOutcome.Completed);
    }

    [Fact]
    public async Task Wrong_settings_stop_the_start_naming_each_one()
    {
        var builder = await NightlySyncApp.CreateBuilderAsync([.. Settings(await CreateListAsync()), "--NightlySync:Schedule=every night", "--NightlySync:Account=nobody", "--NightlySync:TimeZone=Mars/Olympus"]);
        using var host = builder.Build();

        var start = () => host.StartAsync();

        var failure = (await start.Should().ThrowAsync<OptionsValidationException>()).Which;
        failure.Failures.Should().Contain(f => f.Contains("NightlySync:Schedule 'every night'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("NightlySync:Account 'nobody'", StringComparison.Ordinal))
            .And.Contain(f => f.Contains("NightlySync:TimeZone 'Mars/Olympus'", StringComparison.Ordinal));
        Writes().Should().Be(0);
    }

    private static DateTimeOffset At(int day, int hour) => new(2026, 12, day, hour, 0, 0, TimeSpan.Zero);

    private int Writes() => _emulator.Log.Requests.Count(r => r.Method != "GET" && !r.Path.EndsWith("token", StringComparison.Ordinal));

    private async Task<string> CreateListAsync()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddMessengeo("setup", o =>
        {
            o.BaseAddress = _emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = _emulator.Messengeo.TokenEndpoint;
            o.ClientId = _emulator.Messengeo.ClientId;
            o.ClientSecret = _emulator.Messengeo.ClientSecret;
        }));
        await using var provider = services.BuildServiceProvider();
        var list = await provider.GetRequiredService<IContactListClientFactory>().GetClient("setup").CreateListAsync(new NewContactList("Customers"));
        _emulator.Log.Clear();
        return list.Id;
    }

    /// <summary>The account, the list, the export and the ledger file, as an operator configures them (here on the command line).</summary>
    private string[] Settings(string listId) =>
    [
        $"--ContactLists:Messengeo:crm:BaseAddress={_emulator.Messengeo.BaseAddress}",
        $"--ContactLists:Messengeo:crm:TokenEndpoint={_emulator.Messengeo.TokenEndpoint}",
        $"--ContactLists:Messengeo:crm:ClientId={_emulator.Messengeo.ClientId}",
        $"--ContactLists:Messengeo:crm:ClientSecret={_emulator.Messengeo.ClientSecret}",
        // Batches of 10, so that a stop falls between batches of this small export.
        "--ContactLists:Messengeo:crm:BatchSize=10",
        $"--NightlySync:ListId={listId}",
        $"--NightlySync:Source={Export}",
        "--NightlySync:Region=GB",
        $"--NightlySync:LedgerPath={Path.Combine(_folder, "ledger.db")}",
    ];

    private async Task<Job> StartAsync(DateTimeOffset now, string listId, Gate? gate = null)
    {
        var builder = await NightlySyncApp.CreateBuilderAsync(Settings(listId));
        var clock = new FakeTimeProvider(now);
        builder.Services.AddSingleton<TimeProvider>(clock);
        if (gate is not null)
        {
            builder.Services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(h => h.AdditionalHandlers.Insert(0, gate.Handler())));
        }

        var host = builder.Build();
        await host.StartAsync();
        return new Job(host, clock, host.Services.GetRequiredService<NightlySyncRuns>());
    }

    private sealed record Job(IHost Host, FakeTimeProvider Clock, NightlySyncRuns Runs) : IAsyncDisposable
    {
        /// <summary>Moves the clock to the occurrence the job waits for (once it waits).</summary>
        public async Task AdvanceToNextOccurrenceAsync()
        {
            var next = await Runs.Scheduled.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            Clock.Advance(next - Clock.GetUtcNow());
        }

        /// <summary>The run of the next occurrence, once it ended.</summary>
        public async Task<NightlySyncRun> NextRunAsync()
        {
            await AdvanceToNextOccurrenceAsync();
            return await Runs.Ended.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync();
            Host.Dispose();
        }
    }

    /// <summary>Holds every membership call from the <c>holdFrom</c>-th on, until released: a run caught in the middle.</summary>
    private sealed class Gate(int holdFrom)
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _calls;

        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        public DelegatingHandler Handler() => new Holding(this);

        private async Task HoldAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri?.Query.Contains("action=contactadd", StringComparison.Ordinal) == true && Interlocked.Increment(ref _calls) >= holdFrom)
            {
                _reached.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
            }
        }

        private sealed class Holding(Gate gate) : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                await gate.HoldAsync(request, cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
        }
    }
}
