namespace ContactLists.Tests.Infrastructure;

/// <summary>
/// Tests that measure the process (its heap) or real time (throughput against a rate limit) run in this group, after
/// the parallel ones and alone, so that no other test's work is counted in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone (process memory, real time)";
}
