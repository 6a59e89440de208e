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
internal sealed class CliHarness(ContactListsEmulator emulator, string folder)
{
    public string Folder { get; } = folder;

    /// <summary>The accounts, as environment variables.</summary>
    public IReadOnlyDictionary<string, string?> Variables { get; } = new Dictionary<string, string?>
    {
        ["ContactLists__Whippy__whippy__BaseAddress"] = emulator.Whippy.BaseAddress.ToString(),
        ["ContactLists__Whippy__whippy__ApiKey"] = emulator.Whippy.ApiKey,
        ["ContactLists__Whippy__whippy__EnablePacing"] = "false",
        ["ContactLists__Movio__movio__BaseAddress"] = emulator.Movio.BaseAddress.ToString(),
        ["ContactLists__Movio__movio__TokenEndpoint"] = emulator.Movio.TokenEndpoint.ToString(),
        ["ContactLists__Movio__movio__ClientId"] = emulator.Movio.ClientId,
        ["ContactLists__Movio__movio__ClientSecret"] = emulator.Movio.ClientSecret,
        ["ContactLists__Octopush__octopush__BaseAddress"] = emulator.Octopush.BaseAddress.ToString(),
        ["ContactLists__Octopush__octopush__ApiLogin"] = emulator.Octopush.ApiLogin,
        ["ContactLists__Octopush__octopush__ApiKey"] = emulator.Octopush.ApiKey,
        ["ContactLists__SlickText__slicktext__BaseAddress"] = emulator.SlickText.BaseAddress.ToString(),
        ["ContactLists__SlickText__slicktext__ApiKey"] = emulator.SlickText.ApiKey,
        ["ContactLists__SlickText__slicktext__EnablePacing"] = "false",
        ["ContactLists__Messengeo__messengeo__BaseAddress"] = emulator.Messengeo.BaseAddress.ToString(),
        ["ContactLists__Messengeo__messengeo__TokenEndpoint"] = emulator.Messengeo.TokenEndpoint.ToString(),
        ["ContactLists__Messengeo__messengeo__ClientId"] = emulator.Messengeo.ClientId,
        ["ContactLists__Messengeo__messengeo__ClientSecret"] = emulator.Messengeo.ClientSecret,
    };

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

        return Process.Start(start)!;
    }
}
