namespace ContactLists.Tests.Infrastructure;

/// <summary>
/// Tests that measure the process (its heap), real time (throughput against a rate limit) or what process-wide
/// listeners see (spans, sampling) run in this group, after the parallel ones and alone, so that no other test's work
/// or listener is counted in their figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MeasuredAlone
{
    public const string Name = "Measured alone (process memory, real time)";
}
