using System.Globalization;
using System.Runtime.InteropServices;
using ContactLists.Emulator;

// contactlists-emulator [--port 5089] [--no-rate-limits] [--movio-list <name>] [--seed-contacts N] [--faults RATE] [--seed N] [--verbose]
// Serves every provider's contact-list API from memory on loopback until Ctrl+C (SIGINT) or SIGTERM (docker stop,
// systemd, a CI step's cleanup), then stops Kestrel cleanly and exits 0.
const string Usage = """
    usage: contactlists-emulator [options]
      --port <N>            the loopback port (0 for any free port; default 5089)
      --no-rate-limits      answer without the providers' documented rate limits
      --movio-list <NAME>   create a Movio list at start (Movio lists are made in its app) and print its id; repeatable
      --seed-contacts <N>   start with N contacts in each provider's account (Movio: in a list named 'seeded')
      --faults <RATE>       spoil this share of requests (0 to 1) with the emulator's faults (5xx, 429, resets, bad bodies...)
      --seed <N>            the seed of the faults' random choices (default 0), to repeat a run
      --verbose             print every request answered: provider, method, path, status
      --help                this text
    """;
var port = 5089;
// Movio lists are made in its web app, not through its API: this creates one at start and prints its id.
var movioLists = new List<string>();
var rateLimits = EmulatorRateLimits.Documented;
var seedContacts = 0;
var faultRate = 0.0;
var faultSeed = 0;
var verbose = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" or "-p" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            {
                return Refuse($"--port needs a number from 0 to 65535, not '{args[i]}'.");
            }

            break;
        case "--movio-list" when i + 1 < args.Length:
            movioLists.Add(args[++i]);
            break;
        case "--no-rate-limits":
            rateLimits = EmulatorRateLimits.Off;
            break;
        case "--seed-contacts" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out seedContacts) || seedContacts > 10_000_000)
            {
                return Refuse($"--seed-contacts needs a number from 0 to 10000000, not '{args[i]}'.");
            }

            break;
        case "--faults" when i + 1 < args.Length:
            if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out faultRate) || faultRate is < 0 or > 1)
            {
                return Refuse($"--faults needs a share of requests from 0 to 1 (such as 0.2), not '{args[i]}'.");
            }

            break;
        case "--seed" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out faultSeed))
            {
                return Refuse($"--seed needs a whole number, not '{args[i]}'.");
            }

            break;
        case "--verbose" or "-v":
            verbose = true;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            return Refuse($"Unknown argument '{args[i]}'.");
    }
}

var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
// Both signals are handled (and their default, an abrupt exit, cancelled), so the emulator stops the same way on each.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

ContactListsEmulator emulator;
try
{
    emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions
    {
        Port = port,
        RateLimits = rateLimits,
        SeedContacts = seedContacts,
        Faults = new EmulatorFaults { Rate = faultRate, Seed = faultSeed },
    });
}
catch (IOException ex)
{
    Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{port}: {ex.Message}");
    return 1;
}

await using (emulator)
{
    Console.WriteLine($"ContactLists emulator listening on {emulator.BaseAddress} (rate limits: {rateLimits})");
    foreach (var provider in emulator.Providers)
    {
        // Each module describes what a client sets to use it, in the SDK's option names.
        Console.WriteLine($"  {provider,-9} " + string.Join("  ", emulator.ClientSettings(provider).Select(s => $"{s.Key}={s.Value}")));
    }

    foreach (var name in movioLists)
    {
        Console.WriteLine($"  Movio list '{name}' id={emulator.Movio.State.CreateList(name)}");
    }

    foreach (var seeded in emulator.Seeded)
    {
        Console.WriteLine($"  seeded: {seeded}");
    }

    if (faultRate > 0)
    {
        Console.WriteLine($"  faults: {faultRate:P0} of requests, seed {faultSeed}");
    }

    if (verbose)
    {
        emulator.Log.Answered += request => Console.WriteLine($"{request.At:HH:mm:ss.fff} {request.Provider,-9} {request.Method,-6} {request.Path} {request.StatusCode}");
    }

    Console.WriteLine("Press Ctrl+C (or send SIGTERM) to stop.");
    var signal = await stop.Task;
    Console.WriteLine($"{signal}: stopping.");
}

Console.WriteLine("Stopped.");
return 0;

void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.TrySetResult(context.Signal.ToString());
}

static int Refuse(string problem)
{
    Console.Error.WriteLine(problem);
    Console.Error.WriteLine(Usage);
    return 2;
}
