// Benchmarks (not part of the test run). Reproduce with:
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --filter '*' --job short
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --paced
//   dotnet run -c Release --project benchmarks/ContactLists.Benchmarks -- --requests
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

BenchmarkSwitcher.FromAssembly(typeof(ContactLists.Benchmarks.PerCallBenchmarks).Assembly).Run(args);
