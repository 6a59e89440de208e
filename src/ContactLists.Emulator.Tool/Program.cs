using System.Globalization;
using System.Runtime.InteropServices;
using ContactLists.Emulator;

// contactlists-emulator [--port 5089] [--no-rate-limits] [--movio-list <name>]
// Serves every provider's contact-list API from memory on loopback until Ctrl+C (SIGINT) or SIGTERM (docker stop,
// systemd, a CI step's cleanup), then stops Kestrel cleanly and exits 0.
const string Usage = "usage: contactlists-emulator [--port <0-65535, 0 for any free port>] [--no-rate-limits] [--movio-list <name>]";
var port = 5089;
// Movio lists are made in its web app, not through its API: this creates one at start and prints its id.
var movioLists = new List<string>();
var rateLimits = EmulatorRateLimits.Documented;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" or "-p" when i + 1 < args.Length:
            if (!int.TryParse(args[++i], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535)
            {
                Console.Error.WriteLine($"--port needs a number from 0 to 65535, not '{args[i]}'.");
                Console.Error.WriteLine(Usage);
                return 2;
            }

            break;
        case "--movio-list" when i + 1 < args.Length:
            movioLists.Add(args[++i]);
            break;
        case "--no-rate-limits":
            rateLimits = EmulatorRateLimits.Off;
            break;
        case "--help" or "-h":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

var stop = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
// Both signals are handled (and their default, an abrupt exit, cancelled), so the emulator stops the same way on each.
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

ContactListsEmulator emulator;
try
{
    emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { Port = port, RateLimits = rateLimits });
}
catch (IOException ex)
{
    Console.Error.WriteLine($"Cannot listen on 127.0.0.1:{port}: {ex.Message}");
    return 1;
}

await using (emulator)
{
    Console.WriteLine($"ContactLists emulator listening on {emulator.BaseAddress} (rate limits: {rateLimits})");
    Console.WriteLine($"  Whippy    BaseAddress={emulator.Whippy.BaseAddress}  ApiKey={emulator.Whippy.ApiKey}");
    Console.WriteLine($"  Movio     BaseAddress={emulator.Movio.BaseAddress}  TokenEndpoint={emulator.Movio.TokenEndpoint}  ClientId={emulator.Movio.ClientId}  ClientSecret={emulator.Movio.ClientSecret}");
    Console.WriteLine($"  Octopush  BaseAddress={emulator.Octopush.BaseAddress}  ApiLogin={emulator.Octopush.ApiLogin}  ApiKey={emulator.Octopush.ApiKey}");
    Console.WriteLine($"  SlickText BaseAddress={emulator.SlickText.BaseAddress}  ApiKey={emulator.SlickText.ApiKey}  BrandId={emulator.SlickText.State.BrandId}");
    Console.WriteLine($"  Messengeo BaseAddress={emulator.Messengeo.BaseAddress}  TokenEndpoint={emulator.Messengeo.TokenEndpoint}  ClientId={emulator.Messengeo.ClientId}  ClientSecret={emulator.Messengeo.ClientSecret}");
    foreach (var name in movioLists)
    {
        Console.WriteLine($"  Movio list '{name}' id={emulator.Movio.State.CreateList(name)}");
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
