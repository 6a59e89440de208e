namespace ContactLists.Tests.Infrastructure;

/// <summary>What the test hosts (<see cref="TestProvider.TestProviderHost"/>, <see cref="WhippyTestHost"/>) share.</summary>
public static class TestHost
{
    /// <summary>The name the test hosts register their one client under.</summary>
    public const string ClientName = "marketing";

    /// <summary>The client registered under <see cref="ClientName"/>.</summary>
    public static IContactListClient Client(this ServiceProvider services) => services.GetRequiredService<IContactListClientFactory>().GetClient(ClientName);
}
