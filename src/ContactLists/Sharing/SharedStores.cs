using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Sharing;

/// <summary>Finds the store an account uses: the one registered under its client name, else the one for all, else in-process.</summary>
internal static class SharedStores
{
    public static IRateLimitStore RateLimitStore(IServiceProvider services, string clientName)
        => services.GetKeyedService<IRateLimitStore>(clientName) ?? services.GetService<IRateLimitStore>() ?? InProcessRateLimitStore.Instance;

    public static ITokenCache TokenCache(IServiceProvider services, string clientName)
        => services.GetKeyedService<ITokenCache>(clientName) ?? services.GetService<ITokenCache>() ?? InProcessTokenCache.Instance;

    public static IContactIdentityMap IdentityMap(IServiceProvider services, string clientName)
        => services.GetKeyedService<IContactIdentityMap>(clientName) ?? services.GetRequiredService<IContactIdentityMap>();
}
