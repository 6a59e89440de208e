using Spectre.Console.Testing;

namespace ContactLists.Tests.Samples;

/// <summary>The CsvSync sample runs against the emulator (no credentials in the environment) and prints its plan, progress and summary.</summary>
public sealed class CsvSyncSampleTests
{
    [Theory]
    [InlineData("whippy")]
    [InlineData("slicktext")]
    [InlineData("movio")]
    public async Task It_syncs_the_bundled_file_into_the_emulator(string provider)
    {
        var console = new TestConsole().Interactive();

        var exit = await CsvSync.CsvSyncApp.RunAsync(["--provider", provider], console);

        exit.Should().Be(0, console.Output);
        console.Output.Should().Contain("Plan").And.Contain("Summary").And.Contain("100%");
    }

    [Fact]
    public async Task A_dry_run_prints_the_plan_and_changes_nothing()
    {
        var console = new TestConsole();

        var exit = await CsvSync.CsvSyncApp.RunAsync(["--dry-run"], console);

        exit.Should().Be(0);
        console.Output.Should().Contain("to add").And.Contain("Dry run: nothing was changed").And.NotContain("Summary");
    }
}
