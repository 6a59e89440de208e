using System.Globalization;
using ContactLists.Emulator;

// Runs the emulator as a program: `dotnet run --project src/ContactLists.Emulator -- [port] [--no-rate-limits]`.
var port = args.FirstOrDefault(a => int.TryParse(a, NumberStyles.None, CultureInfo.InvariantCulture, out _)) is { } p
    ? int.Parse(p, CultureInfo.InvariantCulture)
    : 5080;
var options = new EmulatorOptions
{
    Port = port,
    RateLimits = args.Contains("--no-rate-limits") ? EmulatorRateLimits.Off : EmulatorRateLimits.Documented,
};

await using var emulator = await ContactListsEmulator.StartAsync(options);
Console.WriteLine($"ContactLists emulator listening on {emulator.BaseAddress} (rate limits: {options.RateLimits})");
Console.WriteLine($"  Whippy   BaseAddress={emulator.Whippy.BaseAddress}  ApiKey={emulator.Whippy.ApiKey}");
Console.WriteLine($"  Movio    BaseAddress={emulator.Movio.BaseAddress}  TokenEndpoint={emulator.Movio.TokenEndpoint}  ClientId={emulator.Movio.ClientId}  ClientSecret={emulator.Movio.ClientSecret}");
Console.WriteLine($"  Octopush BaseAddress={emulator.Octopush.BaseAddress}  ApiLogin={emulator.Octopush.ApiLogin}  ApiKey={emulator.Octopush.ApiKey}");
Console.WriteLine($"  SlickText BaseAddress={emulator.SlickText.BaseAddress}  ApiKey={emulator.SlickText.ApiKey}  BrandId={emulator.SlickText.State.BrandId}");
Console.WriteLine($"  Messengeo BaseAddress={emulator.Messengeo.BaseAddress}  TokenEndpoint={emulator.Messengeo.TokenEndpoint}  ClientId={emulator.Messengeo.ClientId}  ClientSecret={emulator.Messengeo.ClientSecret}");
Console.WriteLine("Press Ctrl+C to stop.");

var stop = new TaskCompletionSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.TrySetResult();
};
await stop.Task;
