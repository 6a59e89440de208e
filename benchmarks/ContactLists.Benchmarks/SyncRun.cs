using System.Diagnostics;
using System.Globalization;
using System.Text;
using ContactLists.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

/// <summary>
/// Benchmark 6 (issue 28): the nightly job at a million rows. A messy export of <c>--rows</c> rows (national and
/// international numbers, duplicates written differently, bad e-mails, bad phones, blank lines) synced into one
/// provider's list against the emulator tool running as a process of its own (so that this process is the SDK alone),
/// pacing off, with the SQLite ledger: the first sync (contacts a second over the first and the last 10% of the apply,
/// total time), an unchanged re-run in a new container (its plan time, and its writes: none), and a run where 10% of
/// the rows changed (8% renamed, 1% gone, 1% new). Peak memory is this process's peak working set. One provider per
/// process, so that each peak is its own: <c>--sync Messengeo --rows 1000000</c> (Messengeo, Octopush, Whippy or
/// SlickText; the request counts of the last two, at 100,000 rows, are those of their provider pages).
/// </summary>
internal static class SyncRun
{
    public static async Task RunAsync(string provider, int rows)
    {
        var folder = Directory.CreateTempSubdirectory("contactlists-bench-").FullName;
        try
        {
            var first = Path.Combine(folder, "customers.csv");
            var later = Path.Combine(folder, "customers-later.csv");
            WriteExport(first, rows, changed: false);
            WriteExport(later, rows, changed: true);
            using var emulator = EmulatorProcess.Start();
            var settings = await emulator.SettingsAsync(provider);
            Console.WriteLine($"{provider}, {rows:N0} rows ({new FileInfo(first).Length / 1024 / 1024:N0} MB), emulator in process {emulator.Id}, SQLite ledger; each run a process of its own");
            Console.WriteLine("| run | plan | apply | requests (writes) | added | updated | removed | first 10% | last 10% | peak working set |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");

            // Each run in a process of its own, as cron runs the job: its peak memory is its own.
            foreach (var phase in new[] { "first", "rerun", "changed" })
            {
                var start = new ProcessStartInfo("dotnet") { UseShellExecute = false };
                // As the contactlists tool runs (its runtimeconfig sets it), unless the caller chose otherwise.
                start.Environment.TryAdd("DOTNET_GCConserveMemory", "5");
                foreach (var argument in new[] { typeof(SyncRun).Assembly.Location, "--sync-phase", provider, phase, folder }.Concat(settings.Select(s => s.Key + "=" + s.Value)))
                {
                    start.ArgumentList.Add(argument);
                }

                using var child = Process.Start(start) ?? throw new InvalidOperationException("The run did not start.");
                await child.WaitForExitAsync();
                if (child.ExitCode != 0)
                {
                    throw new InvalidOperationException($"The {phase} run failed ({child.ExitCode}).");
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>One run of the job, in this process: the first sync (into a new list), the unchanged re-run, or the changed one.</summary>
    public static async Task RunPhaseAsync(string provider, string phase, string folder, IReadOnlyDictionary<string, string> settings)
    {
        var ledger = Path.Combine(folder, "ledger.db");
        var listFile = Path.Combine(folder, "list-id.txt");
        await using var container = Start(provider, settings, ledger);
        switch (phase)
        {
            case "first":
                var listId = (await container.Client.CreateListAsync(new NewContactList("Bench"))).Id;
                await File.WriteAllTextAsync(listFile, listId);
                // The first sync of a list nobody can read replaces it: accepted on purpose (a new list).
                await MeasureAsync("first sync", container, listId, Path.Combine(folder, "customers.csv"), new SyncOptions { MaxRemovals = SyncLimit.All });
                break;
            case "rerun":
                await MeasureAsync("unchanged re-run", container, await File.ReadAllTextAsync(listFile), Path.Combine(folder, "customers.csv"), new SyncOptions());
                break;
            default:
                await MeasureAsync("10% changed", container, await File.ReadAllTextAsync(listFile), Path.Combine(folder, "customers-later.csv"), new SyncOptions());
                break;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    private static async Task MeasureAsync(string name, Container container, string listId, string file, SyncOptions options)
    {
        var sync = new ContactListSync(container.Client, container.Ledger);
        using var sampler = Environment.GetEnvironmentVariable("CONTACTLISTS_BENCH_HEAP") is null ? null : new Timer(_ =>
        {
            var info = GC.GetGCMemoryInfo();
            Console.WriteLine($"    t={Environment.TickCount64 / 1000 % 100000} ws={Environment.WorkingSet / 1048576} heap={info.HeapSizeBytes / 1048576} committed={info.TotalCommittedBytes / 1048576} frag={info.FragmentedBytes / 1048576}");
        }, null, 0, 2000);
        var bulk = new BulkOptions { DefaultRegion = "GB", ContinueOnError = true, MaxConcurrency = 4 };
        container.Requests.Reset();
        var planning = Stopwatch.StartNew();
        using var plan = await sync.PlanAsync(listId, ContactCsv.ReadAsync(file), new SyncOptions
        {
            Bulk = bulk,
            MaxRemovals = options.MaxRemovals,
        });
        planning.Stop();
        if (Environment.GetEnvironmentVariable("CONTACTLISTS_BENCH_PLAN") is not null)
        {
            Console.WriteLine(plan);
        }

        if (Environment.GetEnvironmentVariable("CONTACTLISTS_BENCH_HEAP") is not null)
        {
            Console.WriteLine($"  after planning: live heap {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024:N0} MB, working set {Environment.WorkingSet / 1024 / 1024:N0} MB");
        }

        var marks = new List<(long Answered, long Ticks)>();
        var applying = Stopwatch.StartNew();
        var result = await sync.ApplyAsync(plan, new SyncOptions { Bulk = bulk, OnProgress = p => marks.Add((p.Answered, applying.ElapsedTicks)) });
        applying.Stop();
        if (Environment.GetEnvironmentVariable("CONTACTLISTS_BENCH_HEAP") is not null)
        {
            Console.WriteLine($"  after applying: live heap {GC.GetTotalMemory(forceFullCollection: false) / 1024 / 1024:N0} MB (before a full collection), {GC.GetTotalMemory(forceFullCollection: true) / 1024 / 1024:N0} MB live, GC count gen0/1/2 {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}");
        }
        var total = plan.ToSend;
        string Rate(double from, double to)
        {
            if (total < 1000)
            {
                return "-";
            }

            var start = marks.FirstOrDefault(m => m.Answered >= total * from);
            var end = marks.FirstOrDefault(m => m.Answered >= total * to);
            var seconds = (end.Ticks - start.Ticks) / (double)Stopwatch.Frequency;
            return seconds <= 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{(end.Answered - start.Answered) / seconds:N0}/s");
        }

        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {planning.Elapsed.TotalSeconds:0.0} s | {applying.Elapsed.TotalSeconds:0.0} s | {container.Requests.All:N0} ({container.Requests.Writes:N0}) | {result.AddedCount:N0} | {result.UpdatedCount:N0} | {result.RemovedCount:N0} | {Rate(0, 0.1)} | {Rate(0.9, 1)} | {self.PeakWorkingSet64 / 1024 / 1024:N0} MB |"));
    }

    /// <summary>One "process" of the job: a service container with the account and the SQLite ledger, and a request counter.</summary>
    private sealed class Container(ServiceProvider services, RequestCounter requests) : IAsyncDisposable
    {
        public IContactListClient Client => services.GetRequiredService<IContactListClientFactory>().GetClient("bench");

        public ISyncLedger Ledger => services.GetRequiredService<ISyncLedger>();

        public RequestCounter Requests { get; } = requests;

        public ValueTask DisposeAsync() => services.DisposeAsync();
    }

    private static Container Start(string provider, IReadOnlyDictionary<string, string> settings, string ledger)
    {
        var values = settings.ToDictionary(s => $"ContactLists:{provider}:bench:{s.Key}", s => (string?)s.Value);
        values[$"ContactLists:{provider}:bench:EnablePacing"] = "false";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var counter = new RequestCounter();
        var services = new ServiceCollection();
        services.AddContactLists(configuration, b =>
        {
            b.UseSqliteSyncLedger(ledger);
            _ = provider switch
            {
                "Octopush" => b.AddOctopush("bench"),
                "Whippy" => b.AddWhippy("bench"),
                "SlickText" => b.AddSlickText("bench"),
                "Messengeo" => b.AddMessengeo("bench"),
                _ => throw new ArgumentException($"--sync {provider}: Messengeo, Octopush, Whippy or SlickText (Movio lists are made in its app).", nameof(provider)),
            };
        });
        services.ConfigureAll<Microsoft.Extensions.Http.HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(h => h.AdditionalHandlers.Insert(0, counter.Handler())));
        return new Container(services.BuildServiceProvider(), counter);
    }

    /// <summary>Counts the requests that leave the SDK (and those that write).</summary>
    private sealed class RequestCounter
    {
        private long _all;
        private long _writes;

        public long All => Interlocked.Read(ref _all);

        public long Writes => Interlocked.Read(ref _writes);

        public void Reset()
        {
            Interlocked.Exchange(ref _all, 0);
            Interlocked.Exchange(ref _writes, 0);
        }

        public DelegatingHandler Handler() => new Counting(this);

        private sealed class Counting(RequestCounter counter) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                Interlocked.Increment(ref counter._all);
                if (request.Method != HttpMethod.Get && request.RequestUri?.AbsolutePath.EndsWith("token", StringComparison.Ordinal) != true)
                {
                    Interlocked.Increment(ref counter._writes);
                }

                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    /// <summary>
    /// A messy export of <paramref name="rows"/> rows: 55% national UK numbers, 25% international, 10% US, 4% e-mail only,
    /// 6% bad phones; 2% bad e-mails; 3% of customers written twice; blank lines. <paramref name="changed"/>: the same
    /// export a day later: 8% renamed, 1% replaced by someone new, 1% gone (so about 8% updates, 2% removes, 1% adds).
    /// </summary>
    private static void WriteExport(string path, int rows, bool changed)
    {
        var random = new Random(7);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 1 << 16);
        writer.Write("Mobile Number,E-mail,First Name,Last Name,Tier,City\r\n");
        string[] tiers = ["Gold", "Silver", "Bronze"];
        string[] cities = ["Leeds", "\"London, UK\"", "Manchester", "York"];
        for (var i = 0; i < rows; i++)
        {
            var kind = random.Next(100);
            var badEmail = random.Next(100) < 2;
            var twice = random.Next(100) < 3;
            var fate = random.Next(100);
            var person = changed && fate == 0 ? i + 5_000_000 : i;
            if (changed && fate == 1)
            {
                continue;
            }

            var digits = person.ToString("D7", CultureInfo.InvariantCulture);
            var phone = kind switch
            {
                < 55 => $"0791{digits}",
                < 80 => $"+44 791{digits[..1]} {digits[1..]}",
                < 90 => $"+1 (415) {digits[..3]}-{digits[3..]}",
                < 94 => string.Empty,
                _ => "n/a " + digits[..3],
            };
            var email = badEmail ? $"customer{person} at example.com" : $"Customer.{person}@Example.com";
            var first = (changed && fate is >= 2 and < 10 ? "Renamed" : "Ada") + person.ToString(CultureInfo.InvariantCulture);
            writer.Write($"{phone},{email},{first},Lovelace,{tiers[i % 3]},{cities[i % 4]}\r\n");
            if (twice && phone.Length > 0)
            {
                writer.Write($"{(phone.StartsWith('0') ? "+44" + phone[1..] : phone)},{email},{first},Lovelace,Gold,Leeds\r\n");
            }

            if (i % 97 == 0)
            {
                writer.Write(",,,,,\r\n");
            }
        }
    }

    /// <summary>The emulator tool as a process of its own, limits off; its client settings read from what it prints.</summary>
    private sealed class EmulatorProcess : IDisposable
    {
        private readonly Process _process;
        private readonly TaskCompletionSource<Dictionary<string, Dictionary<string, string>>> _settings = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Dictionary<string, Dictionary<string, string>> _read = new(StringComparer.OrdinalIgnoreCase);

        private EmulatorProcess(Process process)
        {
            _process = process;
            _process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not { } line)
                {
                    return;
                }

                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length > 1 && parts[1].StartsWith("BaseAddress=", StringComparison.Ordinal))
                {
                    _read[parts[0]] = parts.Skip(1).Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
                }
                else if (line.StartsWith("Press Ctrl+C", StringComparison.Ordinal))
                {
                    _settings.TrySetResult(_read);
                }
            };
            _process.BeginOutputReadLine();
        }

        public int Id => _process.Id;

        public static EmulatorProcess Start()
        {
            var dll = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "src", "ContactLists.Emulator.Tool", "bin", "Release", "net10.0", "ContactLists.Emulator.Tool.dll");
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
            foreach (var argument in new[] { Path.GetFullPath(dll), "--port", "0", "--no-rate-limits" })
            {
                start.ArgumentList.Add(argument);
            }

            return new EmulatorProcess(Process.Start(start) ?? throw new InvalidOperationException("The emulator tool did not start."));
        }

        public async Task<IReadOnlyDictionary<string, string>> SettingsAsync(string provider)
            => (await _settings.Task.WaitAsync(TimeSpan.FromMinutes(1)))[provider];

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }

            _process.Dispose();
        }
    }
}
