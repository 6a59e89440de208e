using System.Runtime.InteropServices;
using ContactLists.Cli;
using Spectre.Console;

// With --json, stdout carries the one JSON object and nothing else: what people read goes to stderr.
var json = args.Contains("--json", StringComparer.Ordinal);
var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(json ? Console.Error : Console.Out) });
if (json || Console.IsOutputRedirected)
{
    // A log or a pipe: lines are not wrapped at a terminal's width.
    console.Profile.Width = 240;
}

using var signals = new CliSignals();
// Ctrl+C and SIGTERM (a scheduler stopping the job) both stop gracefully: the process ends by itself, exit code 3.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
var environment = new CliEnvironment
{
    Console = console,
    Out = Console.Out,
    Interactive = !json && !Console.IsOutputRedirected && console.Profile.Capabilities.Interactive,
    Signals = signals,
    Arguments = args,
};
return await CliApp.RunAsync(args, environment);

void Interrupt(PosixSignalContext context)
{
    context.Cancel = true;
    signals.Interrupt();
}
