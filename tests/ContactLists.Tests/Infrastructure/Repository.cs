namespace ContactLists.Tests.Infrastructure;

/// <summary>The repository the tests run from (the folder holding ContactListsSdk.sln above the test output).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ContactListsSdk.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("ContactListsSdk.sln not found above " + AppContext.BaseDirectory);
    }
}
