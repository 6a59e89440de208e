// Benchmarks (not part of the test run). Reproduce with:
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --paced
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --requests
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --sync Messengeo --rows 1000000   (then Octopush)
using BenchmarkDotNet.Running;

if (args.Contains("--paced"))
{
    await ContactLists.Benchmarks.PacedRun.RunAsync();
    return;
}

if (args.Contains("--requests"))
{
    await ContactLists.Benchmarks.RequestFloorRun.RunAsync();
    return;
}

if (Array.IndexOf(args, "--sync") is >= 0 and var sync)
{
    var rows = Array.IndexOf(args, "--rows") is >= 0 and var at ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000;
    await ContactLists.Benchmarks.SyncRun.RunAsync(args[sync + 1], rows);
    return;
}

if (Array.IndexOf(args, "--sync-phase") is >= 0 and var phase)
{
    var settings = args.Skip(phase + 4).Select(a => a.Split('=', 2)).ToDictionary(a => a[0], a => a[1]);
    await ContactLists.Benchmarks.SyncRun.RunPhaseAsync(args[phase + 1], args[phase + 2], args[phase + 3], settings);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(ContactLists.Benchmarks.PerCallBenchmarks).Assembly).Run(args);
