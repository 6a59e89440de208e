using System.Reflection;
using System.Text.RegularExpressions;
using ContactLists.Bulk;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Docs;

/// <summary>
/// docs/adding-a-provider.md cannot drift from the code: every path it names exists for every provider (with
/// <c>&lt;Name&gt;</c> and <c>&lt;name&gt;</c> put in), every type or member it names exists, and it names every
/// replace strategy by its real name.
/// </summary>
public sealed partial class AddingAProviderDocTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "adding-a-provider.md"));

    /// <summary>The text between backticks.</summary>
    private static IEnumerable<string> Quoted() => Backticked().Matches(Page).Select(m => m.Groups[1].Value).Distinct();

    [Fact]
    public void Every_path_it_names_exists_for_every_provider()
    {
        var paths = Quoted().Where(q => q.StartsWith("src/", StringComparison.Ordinal) || q.StartsWith("tests/", StringComparison.Ordinal) || q.StartsWith("docs/", StringComparison.Ordinal)).ToList();
        paths.Should().HaveCountGreaterThan(8, "the page names the folders and files a provider has");

        foreach (var provider in ReliabilityTarget.All.Keys)
        {
            foreach (var path in paths)
            {
                var real = Path.Combine(Repository.Root, path.Replace("<Name>", provider, StringComparison.Ordinal).Replace("<name>", provider.ToLowerInvariant(), StringComparison.Ordinal));
                (File.Exists(real) || Directory.Exists(real)).Should().BeTrue($"docs/adding-a-provider.md names `{path}`, which must exist for {provider}");
            }
        }
    }

    [Fact]
    public void Every_file_it_names_inside_a_provider_folder_exists_for_every_provider()
    {
        // File names given relative to the folder they are listed under ("`<Name>Models.cs`").
        var files = Quoted().Where(q => q.EndsWith(".cs", StringComparison.Ordinal) && q.Contains("<Name>", StringComparison.Ordinal) && !q.Contains('/', StringComparison.Ordinal)).ToList();
        files.Should().Contain(["I<Name>Api.cs", "<Name>Models.cs", "<Name>Options.cs", "<Name>ContactListClient.cs", "<Name>Provider.cs", "<Name>Emulator.cs", "<Name>Target.cs"]);

        var roots = new[] { "src/ContactLists/Providers/<Name>", "src/ContactLists.Emulator/Providers/<Name>", "tests/ContactLists.Tests/Contract/<Name>", "tests/ContactLists.Tests/Conformance" };
        foreach (var provider in ReliabilityTarget.All.Keys)
        {
            foreach (var file in files)
            {
                var name = file.Replace("<Name>", provider, StringComparison.Ordinal);
                roots.Any(root => File.Exists(Path.Combine(Repository.Root, root.Replace("<Name>", provider, StringComparison.Ordinal), name)))
                    .Should().BeTrue($"docs/adding-a-provider.md lists `{file}`, so {provider} has {name} in one of its folders");
            }
        }
    }

    [Fact]
    public void Every_type_and_member_it_names_exists()
    {
        var assemblies = new[] { typeof(IContactListClient).Assembly, typeof(ContactListsEmulator).Assembly, typeof(AddingAProviderDocTests).Assembly };
        var types = assemblies.SelectMany(a => a.GetTypes()).ToList();
        // The framework types the page names (the base of a JSON context, the route trap's delegates).
        Type[] framework = [typeof(System.Text.Json.Serialization.JsonSerializerContext), typeof(Microsoft.AspNetCore.Http.RequestDelegate), typeof(Microsoft.AspNetCore.Http.IResult), typeof(Microsoft.AspNetCore.Http.HttpContext), typeof(Delegate), typeof(ArgumentException), typeof(Task)];
        var names = types.Concat(framework).Select(t => t.Name.Split('`')[0])
            .Concat(types.SelectMany(t => t.GetMembers(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
                .Select(m => m.Name[(m.Name.LastIndexOf('.') + 1)..]))
            .Concat(types.SelectMany(t => (t.Namespace ?? string.Empty).Split('.')))
            .ToHashSet(StringComparer.Ordinal);

        var symbols = Quoted().Select(q => Symbol().Match(q)).Where(m => m.Success).SelectMany(m => m.Value.Split('.')).Distinct().ToList();
        symbols.Should().Contain(["ContactListClientBase", "SendBatchAsync", "ReplaceStrategy", "ProviderHttpProfile", "IEmulatorModule", "ReliabilityTarget"]);
        foreach (var symbol in symbols)
        {
            names.Should().Contain(symbol, $"docs/adding-a-provider.md names `{symbol}`");
        }
    }

    [Fact]
    public void It_names_every_replace_strategy_by_its_real_name()
    {
        foreach (var strategy in Enum.GetNames<ReplaceStrategy>())
        {
            Page.Should().Contain($"`{strategy}`", "each strategy an adapter may declare is explained");
        }
    }

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Backticked();

    // An identifier or a dotted pair of them, such as `BatchResponse.MemberIds` (not paths, placeholders or calls).
    [GeneratedRegex(@"^[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$")]
    private static partial Regex Symbol();
}
