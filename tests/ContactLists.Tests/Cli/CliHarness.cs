using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ContactLists.Cli;
using ContactLists.Emulator;
using Spectre.Console.Testing;

namespace ContactLists.Tests.Cli;

/// <summary>What one run of the tool gave: its exit code, what people read, and stdout.</summary>
public sealed record CliOutcome(int ExitCode, string Console, string Out)
{
    /// <summary>The one JSON object <c>--json</c> prints.</summary>
    public JsonElement Json => JsonDocument.Parse(Out).RootElement;

    public override string ToString() => $"exit {ExitCode}\n{Console}\n{Out}";
}

/// <summary>
/// Runs the <c>contactlists</c> tool in this process against an emulator, with accounts configured through environment
/// variables exactly as a user configures them (<c>ContactLists__Whippy__whippy__ApiKey</c>…), one per provider, each
/// named after its provider in lower case.
/// </summary>
internal sealed class CliHarness(ContactListsEmulator emulator, string folder, bool paced = false)
{
    public string Folder { get; } = folder;

    /// <summary>Where the tool keeps its ledger by default (as the user's data folder would be).</summary>
    public string DataDirectory => Path.Combine(Folder, "data", "contactlists");

    /// <summary>The default ledger's file.</summary>
    public string LedgerPath => Path.Combine(DataDirectory, "ledger.db");

    /// <summary>The accounts, as environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; } = emulator.ClientConfiguration()
        .Select(setting => KeyValuePair.Create(setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value))
        .Concat(emulator.Providers.Select(p => KeyValuePair.Create($"ContactLists__{p}__{p.ToLowerInvariant()}__EnablePacing", (string?)(paced ? "true" : "false"))))
        .ToDictionary();

    /// <summary>Runs the tool with <paramref name="args"/>; <paramref name="signals"/> lets a test interrupt it.</summary>
    public async Task<CliOutcome> RunAsync(string[] args, CliSignals? signals = null)
    {
        var console = new TestConsole();
        console.Profile.Width = 240;
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var code = await CliApp.RunAsync(args, new CliEnvironment
        {
            Console = console,
            Out = stdout,
            WorkingDirectory = Folder,
            EnvironmentVariables = Variables,
            Signals = signals ?? new CliSignals(),
            Arguments = args,
            DataDirectory = DataDirectory,
        });
        return new CliOutcome(code, console.Output, stdout.ToString());
    }

    public Task<CliOutcome> RunAsync(params string[] args) => RunAsync(args, null);

    /// <summary>Starts the tool's built program as a process of its own, with the accounts in its environment.</summary>
    public Process Start(params string[] args)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", "ContactLists.Cli", "bin", configuration, "net10.0", "ContactLists.Cli.dll");
        File.Exists(dll).Should().BeTrue($"the tool is built with the tests ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Folder };
        start.ArgumentList.Add(dll);
        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in Variables)
        {
            start.Environment[key] = value;
        }

        // The user's data folder of the process, where the tool keeps its ledger by default.
        start.Environment["XDG_DATA_HOME"] = Path.Combine(Folder, "data");

        return Process.Start(start)!;
    }
}
