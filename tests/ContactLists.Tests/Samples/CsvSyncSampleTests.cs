using ContactLists.Emulator;
using Spectre.Console.Testing;

namespace ContactLists.Tests.Samples;

/// <summary>The CsvSync sample, run as a user would run it, against an emulator the test owns.</summary>
public sealed class CsvSyncSampleTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("csvsync-").FullName;

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
    public async Task Redirected_output_ends_the_progress_with_a_100_percent_line()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([], console, emulator);

        exit.Should().Be(0, console.Output);
        console.Lines.Last(l => l.Trim().Length > 0).Should().Be("100% done: 6 to add, 0 to remove.");
    }

    [Fact]
    public async Task A_dry_run_creates_no_list_and_sends_no_write()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync(["--dry-run"], console, emulator);

        exit.Should().Be(0, console.Output);
        console.Output.Should().Contain("would be created").And.Contain("Dry run: nothing was changed").And.NotContain("Summary");
        emulator.Log.Requests.Should().NotContain(r => r.Method != "GET");
        emulator.Whippy.State.ListIds.Should().BeEmpty();
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error_before_anything_is_created()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([Path.Combine(_folder, "missing.csv")], console, emulator);

        exit.Should().Be(CsvSync.CsvSyncApp.UsageError);
        console.Output.Should().Contain("File not found").And.Contain("missing.csv");
        emulator.Log.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_that_is_not_csv_is_refused_rather_than_replaced_by_the_bundled_one()
    {
        var path = Path.Combine(_folder, "contacts.xlsx");
        await File.WriteAllTextAsync(path, "phone\n+14155550100\n");
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([path], console);

        exit.Should().Be(CsvSync.CsvSyncApp.UsageError);
        console.Output.Should().Contain("is not a .csv file");
    }

    [Fact]
    public async Task Headers_match_after_normalising_case_spaces_and_punctuation()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var path = Path.Combine(_folder, "export.csv");
        await File.WriteAllTextAsync(path, "First Name,Mobile Number,E-mail\nAda,+14155550101,ada@example.com\nAlan,+14155550102,alan@example.com\n");
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([path], console, emulator);

        exit.Should().Be(0, console.Output);
        var list = emulator.Whippy.State.ListIds.Should().ContainSingle().Subject;
        emulator.Whippy.State.GetMemberPhones(list).Should().BeEquivalentTo("+14155550101", "+14155550102");
    }

    [Fact]
    public async Task A_file_without_an_identity_column_says_which_columns_were_expected_and_creates_nothing()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var path = Path.Combine(_folder, "names.csv");
        await File.WriteAllTextAsync(path, "first_name,city\nAda,London\n");
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([path], console, emulator);

        exit.Should().Be(CsvSync.CsvSyncApp.UsageError);
        console.Output.Should().Contain("phone number").And.Contain("Expected a column such as phone").And.Contain("found: first_name, city");
        emulator.Log.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_file_whose_rows_all_lack_an_identity_is_refused()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var path = Path.Combine(_folder, "empty-phones.csv");
        await File.WriteAllTextAsync(path, "name,phone\nAda,\nAlan,\n");
        var console = new TestConsole().Width(400);

        var exit = await CsvSync.CsvSyncApp.RunAsync([path], console, emulator);

        exit.Should().Be(CsvSync.CsvSyncApp.UsageError);
        console.Output.Should().Contain("None of the 2 rows");
        emulator.Log.Requests.Should().BeEmpty();
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
