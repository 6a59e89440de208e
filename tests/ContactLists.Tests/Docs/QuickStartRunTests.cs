using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ContactLists.Tests.Docs;

/// <summary>
/// The README's quick start, run as written with no configuration: it does not crash with an unhandled exception
/// (exit 134); it prints what is missing, naming the setting, and returns 1 before any request. (Console output is
/// process-wide, so this runs with the tests that run alone.)
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class QuickStartRunTests
{
    [Fact]
    public async Task Unconfigured_the_quick_start_prints_the_missing_setting_and_exits_1()
    {
        var code = File.ReadAllText(Path.Combine(Repository.Root, "README.md")).ReplaceLineEndings("\n");
        var start = code.IndexOf("```csharp\n", code.IndexOf("IStartupValidator", StringComparison.Ordinal) - 2000, StringComparison.Ordinal);
        var snippet = code[(start + "```csharp\n".Length)..code.IndexOf("\n```", start + 10, StringComparison.Ordinal)];
        snippet.Should().Contain("IStartupValidator", "the quick start is the snippet that validates the settings");
        var assembly = Compile(snippet);
        var output = new StringWriter();
        var error = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        var directory = Directory.GetCurrentDirectory();
        object? exitCode;
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            // A folder with no appsettings.json, as in a new project.
            Directory.SetCurrentDirectory(Directory.CreateTempSubdirectory().FullName);
            // The entry point of async top-level statements is a synchronous Main that waits for them.
            var returned = await Task.Run(() => assembly.EntryPoint!.Invoke(null, [Array.Empty<string>()]));
            exitCode = returned is Task<int> task ? await task : returned;
        }
        finally
        {
            Directory.SetCurrentDirectory(directory);
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }

        exitCode.Should().Be(1);
        error.ToString().Should().Contain("ContactLists:Whippy:marketing:ApiKey is required");
        output.ToString().Should().BeEmpty("nothing was sent, nothing was printed as done");
    }

    private static Assembly Compile(string code)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var usings = """
            global using System;
            global using System.Collections.Generic;
            global using System.IO;
            global using System.Linq;
            global using System.Net.Http;
            global using System.Threading;
            global using System.Threading.Tasks;
            """;
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat(Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(g => g.First())
            .Where(path => { try { AssemblyName.GetAssemblyName(path); return true; } catch (BadImageFormatException) { return false; } })
            .Select(path => (MetadataReference)MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create("QuickStart", [CSharpSyntaxTree.ParseText(code, parse), CSharpSyntaxTree.ParseText(usings, parse)], references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        emitted.Success.Should().BeTrue(string.Join("\n", emitted.Diagnostics));
        image.Position = 0;
        return new AssemblyLoadContext("quick-start", isCollectible: true).LoadFromStream(image);
    }
}
