using Spectre.Console;

namespace ContactLists.Cli;

/// <summary>
/// Where the tool reads and writes, so that tests can run it in process: the console people read (stderr when the
/// output is <c>--json</c>), the standard output (JSON, exported CSV), the working directory (appsettings.json, the
/// default state path), the environment variables, and the interruption signals.
/// </summary>
internal sealed class CliEnvironment
{
    /// <summary>What people read: the plan, progress, the summary, errors.</summary>
    public required IAnsiConsole Console { get; init; }

    /// <summary>The standard output: one JSON object with <c>--json</c>, an exported CSV without <c>-o</c>.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>Where <c>appsettings.json</c> is read from and relative paths start.</summary>
    public string WorkingDirectory { get; init; } = Directory.GetCurrentDirectory();

    /// <summary>The environment variables to read accounts from; <see langword="null"/>: the process's own.</summary>
    public IReadOnlyDictionary<string, string?>? EnvironmentVariables { get; init; }

    /// <summary>Whether a person is watching a terminal (a live progress bar) or the output is redirected (plain lines).</summary>
    public bool Interactive { get; init; }

    /// <summary>Ctrl+C and SIGTERM.</summary>
    public CliSignals Signals { get; init; } = new();

    /// <summary>The command line as given, to print the command that resumes an interrupted run.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The clock of progress lines and rates.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>
    /// Where the tool keeps its own files: the sync ledger by default (<c>ledger.db</c>). The user's data folder
    /// (<c>~/.local/share/contactlists</c> on Linux, <c>%LOCALAPPDATA%\contactlists</c> on Windows).
    /// </summary>
    public string DataDirectory { get; init; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.DoNotVerify), "contactlists");

    /// <summary>An absolute path for <paramref name="path"/>, relative to <see cref="WorkingDirectory"/>.</summary>
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}

/// <summary>
/// The two interruptions: the first Ctrl+C (or SIGTERM) asks to stop taking new batches and to finish those in
/// flight; a second abandons those too (they are then reported as "may have been received").
/// </summary>
internal sealed class CliSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort = new();
    private int _count;

    /// <summary>Cancelled by the first interruption: no new batch is sent.</summary>
    public CancellationToken Stop => _stop.Token;

    /// <summary>Cancelled by the second interruption: batches in flight are abandoned.</summary>
    public CancellationToken Abort => _abort.Token;

    /// <summary>Called on each interruption with its number (1, then 2), to tell the person what happens.</summary>
    public Action<int>? OnInterrupt { get; set; }

    /// <summary>
    /// Whether a first interruption stops gracefully (while a sync sends batches); otherwise (reading, planning) the
    /// first interruption abandons the command at once, since there is nothing in flight worth waiting for.
    /// </summary>
    public bool Graceful { get; set; }

    /// <summary>Records an interruption: the first stops sending, the second abandons what is in flight.</summary>
    public void Interrupt()
    {
        var count = Interlocked.Increment(ref _count);
        _stop.Cancel();
        if (count > 1 || !Graceful)
        {
            _abort.Cancel();
        }

        OnInterrupt?.Invoke(count);
    }

    public void Dispose()
    {
        _stop.Dispose();
        _abort.Dispose();
    }
}

/// <summary>The tool's exit codes, for schedulers and scripts.</summary>
internal static class ExitCodes
{
    /// <summary>Every row synced (exact duplicates count as synced).</summary>
    public const int Synced = 0;

    /// <summary>Finished, with rows left out (invalid in the file, refused by the provider, or not sent), each counted by reason.</summary>
    public const int LeftOut = 1;

    /// <summary>A usage or input error, found before anything was sent.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted or failed part-way: what was answered is in the ledger, and the same command resumes.</summary>
    public const int Interrupted = 3;

    /// <summary>Refused by a guard before anything was sent (too many removals, an empty source, most rows left out).</summary>
    public const int Refused = 4;

    /// <summary>What a failure that ends a command exits with, and the line that says why.</summary>
    public static (int Code, string Message) Of(Exception exception) => exception switch
    {
        Spectre.Console.Cli.CommandAppException spectre => (Usage, spectre.Message + " (contactlists --help, or contactlists COMMAND --help)"),
        CliUsageException usage => (Usage, usage.Message),
        ArgumentException or ContactListOperationNotSupportedException => (Usage, exception.Message),
        // A refused key or an unknown list: what to fix is the input; nothing was changed.
        ContactListAuthenticationException or ContactListNotFoundException => (Usage, exception.Message),
        ContactListSyncRefusedException refused => (Refused, refused.Message),
        OperationCanceledException => (Interrupted, "Interrupted."),
        ContactListException => (Interrupted, exception.Message),
        _ => (Interrupted, exception.GetType().Name + ": " + exception.Message),
    };
}
