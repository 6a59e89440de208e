using ContactLists.Emulator;
using ContactLists.Redis;
using ContactLists.Sqlite;
using ContactLists.Tests.Reliability;
using ContactLists.Tests.ScaleOut;

namespace ContactLists.Tests.Sync;

/// <summary>What every sync ledger must do, run on each: in memory, in a SQLite file, and on Redis (or Garnet).</summary>
public abstract class SyncLedgerStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 6, 2, 0, 0, TimeSpan.Zero);

    protected ISyncLedger Ledger { get; private set; } = null!;

    protected abstract Task<ISyncLedger> CreateAsync();

    public virtual async Task InitializeAsync() => Ledger = await CreateAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;

    private static SyncTarget List(string id) => new("0123456789ABCDEF0123456789ABCDEF", id);

    [Fact]
    public async Task A_list_it_does_not_know_has_no_run_and_no_entry()
    {
        (await Ledger.GetRunAsync(List("unknown"))).Should().BeNull();
        (await Ledger.ReadAsync(List("unknown")).ToListAsync()).Should().BeEmpty();
    }

    [Fact]
    public async Task Answered_batches_are_recorded_removed_and_reset_per_list()
    {
        var a = List("a");
        var b = List("b");
        await Ledger.RecordAsync(a, new SyncLedgerChanges
        {
            Upserts =
            [
                new("tel:+447911000001", 11, true, At),
                new("mailto:ada@example.com", -22, false, At.AddMinutes(1), SentAs: "Ada@Example.com"),
                new("tel:+447911000003", 33, true, At),
            ],
        });
        await Ledger.RecordAsync(b, new SyncLedgerChanges { Upserts = [new("tel:+447911000009", 99, true, At)] });
        await Ledger.RecordAsync(a, new SyncLedgerChanges { Upserts = [new("tel:+447911000001", 12, true, At.AddDays(1))], Removals = ["tel:+447911000003"] });

        var entries = await Ledger.ReadAsync(a).ToListAsync();
        entries.Should().BeEquivalentTo(new SyncLedgerEntry[]
        {
            new("tel:+447911000001", 12, true, At.AddDays(1)),
            new("mailto:ada@example.com", -22, false, At.AddMinutes(1), "Ada@Example.com"),
        });

        // A replace's first step: everything the list held before is forgotten, in the same change as its first batch.
        await Ledger.RecordAsync(a, new SyncLedgerChanges { Reset = true, Upserts = [new("tel:+447911000005", 55, true, At)] });
        (await Ledger.ReadAsync(a).ToListAsync()).Select(e => e.Identity).Should().Equal("tel:+447911000005");
        (await Ledger.ReadAsync(b).ToListAsync()).Select(e => e.Identity).Should().Equal(["tel:+447911000009"], "another list is untouched");
    }

    [Fact]
    public async Task The_run_is_kept_listed_and_forgotten_with_the_entries()
    {
        var target = List("runs");
        var run = new SyncRunRecord
        {
            Provider = "Octopush",
            Account = "alerts",
            Outcome = SyncRunOutcome.Partial,
            StartedAt = At,
            FinishedAt = At.AddMinutes(3),
            LastCompletedAt = At.AddDays(-1),
            LastFullPassAt = At.AddDays(-7),
            TracksList = true,
            ReplaceUnconfirmed = true,
            Reason = "interrupted",
            Added = 1,
            Updated = 2,
            Removed = 3,
            LeftOut = 4,
        };
        await Ledger.SetRunAsync(target, run);
        await Ledger.RecordAsync(target, new SyncLedgerChanges { Upserts = [new("tel:+447911000001", 1, true, At)] });

        (await Ledger.GetRunAsync(target)).Should().Be(run);
        (await Ledger.ListAsync().ToListAsync()).Should().ContainSingle(l => l.Key == target).Which.Value.Should().Be(run);

        await Ledger.ForgetAsync(target);
        (await Ledger.GetRunAsync(target)).Should().BeNull();
        (await Ledger.ReadAsync(target).ToListAsync()).Should().BeEmpty();
        (await Ledger.ListAsync().ToListAsync()).Should().NotContain(l => l.Key == target);
    }
}

public sealed class InMemorySyncLedgerTests : SyncLedgerStoreTests
{
    protected override Task<ISyncLedger> CreateAsync() => Task.FromResult<ISyncLedger>(new InMemorySyncLedger());
}

public sealed class SqliteSyncLedgerTests : SyncLedgerStoreTests
{
    private readonly string _folder = Directory.CreateTempSubdirectory("contactlists-ledger-").FullName;

    private string File => Path.Combine(_folder, "nested", "ledger.db");

    protected override Task<ISyncLedger> CreateAsync() => Task.FromResult<ISyncLedger>(new SqliteSyncLedger(File));

    public override Task DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_file_and_its_folder_are_its_owners_alone_and_another_instance_reads_what_one_wrote()
    {
        await Ledger.RecordAsync(new SyncTarget("acc", "l"), new SyncLedgerChanges { Upserts = [new("tel:+447911000001", 1, true, DateTimeOffset.UnixEpoch)] });

        // Another process opening the same file (a cron job's next run) reads what this one wrote.
        var other = new SqliteSyncLedger(File);
        (await other.ReadAsync(new SyncTarget("acc", "l")).ToListAsync()).Should().ContainSingle();
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.GetUnixFileMode(File).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "it holds phones and e-mails");
            System.IO.File.GetUnixFileMode(Path.GetDirectoryName(File)!).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(File)!, "ledger.db*"))
            {
                (System.IO.File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).Should().Be(UnixFileMode.None, $"SQLite's -wal and -shm files take the database's mode ({file})");
            }
        }
    }
}

[Collection(MeasuredAlone.Name)]
public sealed class RedisSyncLedgerTests : SyncLedgerStoreTests
{
    private RedisServer _redis = null!;
    private readonly List<ServiceProvider> _containers = [];

    public override async Task InitializeAsync()
    {
        _redis = await RedisServer.StartAsync();
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        foreach (var container in _containers)
        {
            await container.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    /// <summary>A ledger as an instance of an application registers it: its own container, its own connection.</summary>
    private ISyncLedger Instance(ContactListsEmulator? emulator = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            b.UseRedisSyncLedger(_redis.Configuration);
            if (emulator is not null)
            {
                ReliabilityTarget.All["Octopush"].Register(b, emulator);
            }
        });
        var provider = services.BuildServiceProvider();
        _containers.Add(provider);
        return provider.GetRequiredService<ISyncLedger>();
    }

    protected override Task<ISyncLedger> CreateAsync() => Task.FromResult(Instance());

    [Fact]
    public async Task Two_instances_share_one_ledger_so_the_second_plans_against_what_the_first_sent()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var octopush = ReliabilityTarget.All["Octopush"];
        var contacts = Enumerable.Range(0, 300).Select(octopush.Contact).ToList();
        var first = Instance(emulator);
        var second = Instance(emulator);
        var client = _containers[^2].GetRequiredService<IContactListClientFactory>().GetClient(ReliabilityTarget.ClientName);
        var otherClient = _containers[^1].GetRequiredService<IContactListClientFactory>().GetClient(ReliabilityTarget.ClientName);

        await new ContactListSync(client, first).SyncAsync("nightly", contacts.ToAsyncEnumerable(), new SyncOptions { MaxRemovals = SyncLimit.All });
        var writes = emulator.Log.Requests.Count;
        var again = await new ContactListSync(otherClient, second).SyncAsync("nightly", contacts.ToAsyncEnumerable());

        again.Plan.Mode.Should().Be(SyncMode.Difference, "Octopush cannot be read, but the shared ledger knows the list");
        (again.Plan.Unchanged, again.Plan.Adds, again.Plan.Removes).Should().Be((300L, 0L, 0L));
        emulator.Log.Requests.Count.Should().Be(writes, "the second instance sent nothing");
    }
}
