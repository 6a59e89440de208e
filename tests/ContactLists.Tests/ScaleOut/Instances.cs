namespace ContactLists.Tests.ScaleOut;

/// <summary>The app instances of a scale-out test: one service provider each.</summary>
internal static class Instances
{
    /// <summary>Disposes every instance, one after the other.</summary>
    public static async Task DisposeAllAsync(this IEnumerable<ServiceProvider> instances)
    {
        foreach (var instance in instances)
        {
            await instance.DisposeAsync();
        }
    }
}
