using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ContactLists.Tests.Docs;

/// <summary>
/// Every C# snippet in README.md and docs/ compiles as written: each block is compiled on its own, as the
/// Program.cs of a new console app (the template's implicit usings, nothing else), against the SDK, the emulator and
/// the packages the README tells users to add. A snippet that needs a using, a package or a variable it does not
/// show fails here.
/// </summary>
public sealed partial class DocumentationSnippetTests
{
    // What `dotnet new console` puts in scope (ImplicitUsings=enable); a snippet must bring everything else itself.
    private const string ConsoleTemplateUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<MetadataReference[]> References = new(() =>
    {
        // The framework, plus every assembly next to the tests: the SDK, the emulator and their dependencies, and the
        // configuration packages the quick start names.
        var framework = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var local = Directory.GetFiles(AppContext.BaseDirectory, "*.dll");
        return framework.Concat(local)
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(IsManagedAssembly)
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path))
            .ToArray();
    });

    public static TheoryData<string, int> Snippets()
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, line, _) in FindSnippets())
        {
            data.Add(file, line);
        }

        return data;
    }

    [Fact]
    public void The_README_and_docs_hold_csharp_snippets_to_check()
        => FindSnippets().Select(s => s.File).Should().Contain("README.md").And.HaveCountGreaterThan(4);

    [Theory]
    [MemberData(nameof(Snippets))]
    public void Snippet_compiles_as_written(string file, int line)
    {
        var code = FindSnippets().Single(s => s.File == file && s.Line == line).Code;
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var tree = CSharpSyntaxTree.ParseText(code, parse, path: $"{file}:{line}");
        var hasStatements = tree.GetCompilationUnitRoot().Members.Any(m => m is Microsoft.CodeAnalysis.CSharp.Syntax.GlobalStatementSyntax);
        var compilation = CSharpCompilation.Create(
            "Snippet",
            [tree, CSharpSyntaxTree.ParseText(ConsoleTemplateUsings, parse)],
            References.Value,
            new CSharpCompilationOptions(hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        using var output = new MemoryStream();
        var result = compilation.Emit(output);

        result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())
            .Should().BeEmpty($"the snippet at {file} line {line} must compile as written:\n{code}");
    }

    private static IEnumerable<(string File, int Line, string Code)> FindSnippets()
    {
        var root = Repository.Root;
        var files = new[] { Path.Combine(root, "README.md") }
            .Concat(Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            var text = File.ReadAllText(path).ReplaceLineEndings("\n");
            foreach (Match block in CsharpBlock().Matches(text))
            {
                var line = text[..block.Index].Count(c => c == '\n') + 2;
                yield return (Path.GetRelativePath(root, path).Replace('\\', '/'), line, block.Groups[1].Value);
            }
        }
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"^```csharp\n(.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex CsharpBlock();
}
