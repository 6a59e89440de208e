using System.Reflection;
using System.Text.RegularExpressions;

namespace ContactLists.Tests.Docs;

/// <summary>
/// docs/architecture.md stays a true map: every type (or <c>Type.Member</c>) its diagrams start a line with, and every
/// identifier and path it quotes, exists in the code. A rename that forgets the map fails here.
/// </summary>
public sealed partial class ArchitectureDocTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "architecture.md"));

    private static readonly List<Type> Types =
    [
        .. new[] { typeof(IContactListClient).Assembly, typeof(Sqlite.SqliteSyncLedger).Assembly, typeof(Redis.RedisSharingOptions).Assembly }
            .SelectMany(a => a.GetTypes()),
    ];

    [Fact]
    public void Every_name_the_diagrams_start_a_line_with_is_a_real_type_or_member()
    {
        var names = Diagrams().SelectMany(block => block.Split('\n'))
            .Select(line => LineStart().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        names.Should().Contain(["IContactListClient.AddContactsAsync", "BulkEngine.RunAsync", "ResolutionCall.ResolveAsync", "SlickTextContactSource.FindAsync", "SyncPlanner.PlanAsync", "SyncApplier.ApplyAsync"],
            "the diagrams follow one call and one sync");
        foreach (var name in names)
        {
            Exists(name).Should().BeTrue($"docs/architecture.md names {name}");
        }
    }

    [Fact]
    public void Every_identifier_and_path_it_quotes_exists()
    {
        var quoted = Backticked().Matches(Page).Select(m => m.Groups[1].Value).Distinct().ToList();
        var paths = quoted.Where(q => q.StartsWith("src/", StringComparison.Ordinal) && !q.Contains('<', StringComparison.Ordinal)).ToList();
        paths.Should().NotBeEmpty();
        foreach (var path in paths)
        {
            var real = Path.Combine(Repository.Root, path);
            (File.Exists(real) || Directory.Exists(real)).Should().BeTrue($"docs/architecture.md names `{path}`");
        }

        foreach (var symbol in quoted.Where(q => Symbol().IsMatch(q)))
        {
            Exists(symbol).Should().BeTrue($"docs/architecture.md names `{symbol}`");
        }
    }

    /// <summary>A type of the SDK by its name (generic arity aside), a member of one as <c>Type.Member</c>, or a member's name alone.</summary>
    private static bool Exists(string name)
    {
        const BindingFlags Any = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy;
        var parts = name.Split('.');
        var types = Types.Where(t => t.Name.Split('`')[0] == parts[0]).ToList();
        return parts.Length == 1
            ? types.Count > 0 || Types.Any(t => Has(t, name))
            : types.Any(t => Has(t, parts[1]));

        // An explicit interface implementation is named "Namespace.IInterface.Member".
        static bool Has(Type type, string member) => type.GetMembers(Any).Any(m => m.Name == member || m.Name.EndsWith("." + member, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Diagrams() => Fenced().Matches(Page).Select(m => m.Groups[1].Value);

    [GeneratedRegex("```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Fenced();

    // The first identifier of a diagram line, when it stands as a name (followed by two spaces or the line's end):
    // "-> SyncPlanner.PlanAsync      reads only…", "ErrorMappingHandler   every failure…".
    [GeneratedRegex(@"^\s*(?:->\s*)?((?=[A-Z][A-Za-z0-9]*[A-Z])[A-Z][A-Za-z0-9]*(?:\.[A-Z][A-Za-z0-9]*)?)(?:\s{2,}|\s*$)")]
    private static partial Regex LineStart();

    [GeneratedRegex("`([^`\n]+)`")]
    private static partial Regex Backticked();

    // An identifier or a dotted pair of them (not paths, placeholders or calls); two capitals at least, so not a word.
    [GeneratedRegex(@"^(?=[A-Z][A-Za-z0-9]*[A-Z])[A-Z][A-Za-z0-9]*(\.[A-Z][A-Za-z0-9]*)?$")]
    private static partial Regex Symbol();
}
