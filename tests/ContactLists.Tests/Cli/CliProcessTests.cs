using System.Collections.Concurrent;
using System.Diagnostics;
using ContactLists.Cli;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;
using ContactLists.Tests.Sync;

namespace ContactLists.Tests.Cli;

/// <summary>
/// The tool as a process of its own, as cron runs it: killed hard part-way and run again, and stopped with Ctrl+C while
/// it hosts the in-process emulator. These measure real time, so they run alone.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class CliProcessTests : IAsyncLifetime
{
    private ContactListsEmulator _emulator = null!;
    private CliHarness _cli = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        _folder = Directory.CreateTempSubdirectory("contactlists-cli-process-").FullName;
        _cli = new CliHarness(_emulator, _folder);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>
    /// <c>kill -9</c> in the middle of a sync loses at most the batches in flight: the same command then finishes the
    /// list exactly as an uninterrupted run would, creating no contact twice (one in flight was found, not created).
    /// </summary>
    [Fact]
    public async Task A_sync_killed_hard_resumes_to_the_state_of_an_uninterrupted_run()
    {
        var export = MessyExport.Write(Path.Combine(_folder, "customers.csv"), 1_500);
        File.WriteAllText(Path.Combine(_folder, "appsettings.json"), """{ "ContactLists": { "SlickText": { "slicktext": { "BatchSize": 20 } } } }""");
        string[] args = ["sync", "customers.csv", "--account", "slicktext", "--list-name", "Killed", "--region", "GB", "--json"];
        var memberships = 0;
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var tool = _cli.Start(args);
        _emulator.Log.Answered += request =>
        {
            if (request.Method == "POST" && request.Path.EndsWith("/lists/contacts", StringComparison.Ordinal) && Interlocked.Increment(ref memberships) == 15)
            {
                // As an operator's kill -9, or the machine going down: no handler runs.
                tool.Kill();
                killed.TrySetResult();
            }
        };

        await killed.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await tool.WaitForExitAsync();
        File.Exists(_cli.LedgerPath).Should().BeTrue("every answered batch was recorded in the ledger, in the user's data folder");
        if (!OperatingSystem.IsWindows())
        {
            File.GetUnixFileMode(_cli.LedgerPath).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite, "the ledger holds phones and e-mails: its owner alone reads it");
        }

        var resumed = await _cli.RunAsync(args);

        resumed.ExitCode.Should().Be(ExitCodes.LeftOut, resumed.ToString());
        resumed.Console.Should().Contain("resuming the run of").And.Contain("stopped part-way");
        var expected = SyncExpectations.Expected("SlickText", export);
        var listId = resumed.Json.GetProperty("listId").GetString()!;
        SyncExpectations.Members(ReliabilityTarget.All["SlickText"], _emulator, listId).Should().BeEquivalentTo(expected);
        // The batch in flight at the kill was applied but never recorded: the resume finds its contacts in the list.
        (resumed.Json.GetProperty("added").GetInt64() + resumed.Json.GetProperty("unchanged").GetInt64()).Should().Be(expected.Count);
        resumed.Json.GetProperty("unchanged").GetInt64().Should().BeGreaterThan(0, "what the killed run added is found in the list, not sent again");
        _emulator.Log.Requests.Count(r => r.Method == "POST" && r.Path.EndsWith("/contacts", StringComparison.Ordinal) && !r.Path.Contains("/lists/", StringComparison.Ordinal))
            .Should().Be(expected.Count, "each contact is created once: one created by a batch in flight at the kill is found on resume");
        resumed.Json.GetProperty("resumed").GetBoolean().Should().BeTrue();
    }

    /// <summary>
    /// Issue 29: a SlickText sync paced to SlickText's documented 240 requests a minute, stopped by SIGINT while its
    /// requests wait for their turn (each batch of 100 contacts makes up to 100 paced creates), exits 3 within 5 seconds:
    /// it stops between the requests of a batch, records what was created, and leaves the rest unsent and resumable.
    /// </summary>
    [Fact]
    public async Task A_paced_SlickText_sync_stopped_by_SIGINT_exits_3_within_5_seconds()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Documented });
        var cli = new CliHarness(emulator, _folder, paced: true);
        MessyExport.Write(Path.Combine(_folder, "paced.csv"), 2_000);
        var requests = 0;
        var heldBack = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        emulator.Log.Answered += request =>
        {
            // The first window's 240 requests are spent: from here every request waits for its turn.
            if (request.Provider == "SlickText" && Interlocked.Increment(ref requests) == 240)
            {
                heldBack.TrySetResult();
            }
        };
        using var tool = cli.Start("sync", "paced.csv", "--account", "slicktext", "--list-name", "Paced", "--region", "GB");
        var output = new ConcurrentQueue<string>();
        tool.OutputDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        tool.ErrorDataReceived += (_, e) => output.Enqueue(e.Data ?? string.Empty);
        tool.BeginOutputReadLine();
        tool.BeginErrorReadLine();
        await heldBack.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var interrupted = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-INT", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(70));
        await tool.WaitForExitAsync(deadline.Token);
        interrupted.Stop();

        interrupted.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), string.Join('\n', output));
        tool.ExitCode.Should().Be(ExitCodes.Interrupted, string.Join('\n', output));
        output.Should().Contain(l => l.Contains("Resume with: contactlists sync paced.csv", StringComparison.Ordinal));
        emulator.Log.Requests.Should().NotContain(r => r.StatusCode == 429, "the tool paced itself to the documented limit");
    }

    /// <summary>
    /// Ctrl+C in a process that hosts the in-process emulator (the tool with <c>--emulator</c>) reaches the tool: it
    /// stops sending, finishes the batch in flight, prints how to resume and exits 3 within 5 seconds.
    /// </summary>
    [Fact]
    public async Task Ctrl_C_in_a_process_hosting_the_in_process_emulator_ends_it_within_5_seconds()
    {
        MessyExport.Write(Path.Combine(_folder, "big.csv"), 20_000);
        using var tool = _cli.Start("sync", "big.csv", "--emulator", "--account", "slicktext", "--list-name", "Big", "--region", "GB");
        var output = new ConcurrentQueue<string>();
        var sending = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tool.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                output.Enqueue(line);
                if (line.Contains("SlickText adding", StringComparison.Ordinal))
                {
                    sending.TrySetResult();
                }
            }
        };
        tool.BeginOutputReadLine();
        tool.BeginErrorReadLine();
        await sending.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var interrupted = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-INT", tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tool.WaitForExitAsync(deadline.Token);
        interrupted.Stop();

        interrupted.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5), string.Join('\n', output));
        tool.ExitCode.Should().Be(ExitCodes.Interrupted);
        output.Should().Contain(l => l.Contains("Stopping: no new request is sent", StringComparison.Ordinal)).And.Contain(l => l.Contains("Resume with: contactlists sync big.csv", StringComparison.Ordinal));
    }
}
