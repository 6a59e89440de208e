using System.Text.Json;
using ContactLists.Cli;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;
using ContactLists.Tests.Sync;

namespace ContactLists.Tests.Cli;

/// <summary>
/// Issue 21: the <c>contactlists</c> tool run as an operator runs it from cron, in process against the emulator:
/// the messy export synced into each provider and run again, every exit code, <c>--json</c>, a typo refused, an
/// interrupted sync resumed to exactly the state of an uninterrupted one, and the list commands.
/// </summary>
public sealed class CliTests : IAsyncLifetime
{
    private ContactListsEmulator _emulator = null!;
    private CliHarness _cli = null!;
    private string _folder = null!;

    public async Task InitializeAsync()
    {
        _emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        _folder = Directory.CreateTempSubdirectory("contactlists-cli-").FullName;
        _cli = new CliHarness(_emulator, _folder);
    }

    public async Task DisposeAsync()
    {
        await _emulator.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    private string File(string name) => Path.Combine(_folder, name);

    /// <summary>The list argument: by name (found or created), except Movio, whose lists are made in its app.</summary>
    private string[] ListArgs(string provider, string name = "Customers")
        => provider == "Movio" ? ["--list", _emulator.Movio.State.CreateList(name)] : ["--list-name", name];

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_messy_export_is_synced_and_a_rerun_changes_nothing_in_one_list_of_that_name(string provider)
    {
        var export = MessyExport.Write(File("customers.csv"), 300);
        string[] args = ["sync", "customers.csv", "--account", provider.ToLowerInvariant(), .. ListArgs(provider), "--region", "GB", "--rejects", "rejected.csv", "--json"];
        // A first sync into a list nobody can read replaces it, removing anyone else: accepted on purpose.
        string[] first_ = provider is "Movio" or "Octopush" ? [.. args, "--max-removals", "all"] : args;

        var first = await _cli.RunAsync(first_);
        // Writes to the lists and contacts (an OAuth2 token request is no change).
        bool IsWrite(EmulatorRequest r) => r.Method != "GET" && !r.Path.EndsWith("token", StringComparison.Ordinal);
        var writes = _emulator.Log.Requests.Count(IsWrite);
        var again = await _cli.RunAsync(args);

        // Rows left out (bad phones, bad e-mails…): exit 1, counted by reason, written with their reasons.
        first.ExitCode.Should().Be(ExitCodes.LeftOut, first.ToString());
        var expected = SyncExpectations.Expected(provider, export);
        var listId = first.Json.GetProperty("listId").GetString()!;
        var target = ReliabilityTarget.All[provider];
        SyncExpectations.Members(target, _emulator, listId).Should().BeEquivalentTo(expected);
        first.Json.GetProperty("added").GetInt64().Should().Be(expected.Count);
        first.Json.GetProperty("duplicates").GetInt64().Should().Be(export.Duplicates);
        first.Json.GetProperty("leftOutReasons").EnumerateObject().Sum(r => r.Value.GetInt64()).Should().Be(first.Json.GetProperty("leftOut").GetInt64());
        System.IO.File.ReadAllLines(File("rejected.csv")).Length.Should().Be((int)first.Json.GetProperty("leftOut").GetInt64() + 1, "one line per row left out, after the header");

        again.ExitCode.Should().Be(ExitCodes.LeftOut, "the same rows are still left out");
        again.Json.GetProperty("listId").GetString().Should().Be(listId, "the list of that name is used again, never a second one");
        // SlickText refused e-mail-only customers (it cannot create a contact without a mobile number): they are tried again.
        var refused = provider == "SlickText" ? first.Json.GetProperty("leftOutReasons").TryGetProperty("refused by the provider", out var n) ? n.GetInt64() : 0 : 0;
        (again.Json.GetProperty("added").GetInt64(), again.Json.GetProperty("updated").GetInt64(), again.Json.GetProperty("removed").GetInt64()).Should().Be((0, 0, 0), "nothing changed");
        if (refused == 0)
        {
            _emulator.Log.Requests.Where(IsWrite).Skip(writes).Should().BeEmpty("an unchanged re-run sends no write request at all, on every provider");
        }

        SyncExpectations.Members(target, _emulator, listId).Should().BeEquivalentTo(expected);
        if (provider is "Whippy" or "SlickText" or "Messengeo")
        {
            var lists = await _cli.RunAsync("lists", "--account", provider.ToLowerInvariant(), "--json");
            lists.Json.EnumerateArray().Count(l => l.GetProperty("name").GetString() == "Customers").Should().Be(1);
        }
    }

    [Fact]
    public async Task Each_exit_code_means_what_it_says_and_usage_errors_send_nothing()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone,First Name\n+14155550101,Ada\n+14155550102,Grace\n");
        System.IO.File.WriteAllText(File("messy.csv"), "Phone,First Name\n+14155550103,Ada\nnot a phone,Grace\n");
        System.IO.File.WriteAllText(File("notes.txt"), "Phone\n");

        var clean = await _cli.RunAsync("sync", "clean.csv", "--account", "whippy", "--list-name", "Exit codes");
        var messy = await _cli.RunAsync("sync", "messy.csv", "--account", "whippy", "--list-name", "Exit codes 2");
        _emulator.Log.Clear();
        var typo = await _cli.RunAsync("sync", "clean.csv", "--account", "whippy", "--list-name", "Exit codes", "--dryrun");
        var both = await _cli.RunAsync("sync", "clean.csv", "--account", "whippy", "--list-name", "x", "--list", "y");
        var missing = await _cli.RunAsync("sync", "absent.csv", "--account", "whippy", "--list", "y");
        var notCsv = await _cli.RunAsync("sync", "notes.txt", "--account", "whippy", "--list", "y");
        var account = await _cli.RunAsync("sync", "clean.csv", "--account", "nobody", "--list", "y");
        var region = await _cli.RunAsync("sync", "clean.csv", "--account", "whippy", "--list", "y", "--region", "XX");
        var noIdentity = await _cli.RunAsync("sync", "clean.csv", "--account", "movio", "--list", "1");
        var movioByName = await _cli.RunAsync("sync", "clean.csv", "--account", "octopush", "--list", "x", "--map", "bad");

        clean.ExitCode.Should().Be(ExitCodes.Synced, clean.ToString());
        clean.Console.Should().Contain("Done: every row is synced.");
        messy.ExitCode.Should().Be(ExitCodes.LeftOut, messy.ToString());
        messy.Console.Should().Contain("Phone not valid");
        typo.ExitCode.Should().Be(ExitCodes.Usage);
        typo.Console.Should().Contain("dryrun");
        both.ExitCode.Should().Be(ExitCodes.Usage);
        missing.Console.Should().Contain("File not found");
        notCsv.Console.Should().Contain("not a .csv file");
        account.Console.Should().Contain("No account named 'nobody'").And.Contain("whippy");
        region.Console.Should().Contain("--region");
        noIdentity.Console.Should().Contain("Movio identifies contacts by an e-mail address");
        movioByName.Console.Should().Contain("--map takes COLUMN=FIELD");
        new[] { both, missing, notCsv, account, region, noIdentity, movioByName }.Should().OnlyContain(o => o.ExitCode == ExitCodes.Usage);
        _emulator.Log.Requests.Should().NotContain(r => r.Method != "GET", "nothing is written when the command line is wrong");
    }

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task A_cut_short_or_empty_export_exits_4_having_sent_nothing_and_says_which_option_accepts_it(string provider)
    {
        MessyExport.Write(File("full.csv"), 200);
        var lines = System.IO.File.ReadAllLines(File("full.csv"));
        System.IO.File.WriteAllLines(File("cut.csv"), lines.Take(11));
        System.IO.File.WriteAllLines(File("empty.csv"), lines.Take(1));
        string[] list = [.. ListArgs(provider, "Guarded")];
        string[] Sync(string file, params string[] more) => ["sync", file, "--account", provider.ToLowerInvariant(), .. list, "--region", "GB", "--json", .. more];
        await _cli.RunAsync(Sync("full.csv", "--max-removals", "all"));
        bool IsWrite(EmulatorRequest r) => r.Method != "GET" && !r.Path.EndsWith("token", StringComparison.Ordinal);
        var writes = _emulator.Log.Requests.Count(IsWrite);

        var cut = await _cli.RunAsync(Sync("cut.csv"));
        var empty = await _cli.RunAsync(Sync("empty.csv"));

        cut.ExitCode.Should().Be(ExitCodes.Refused, cut.ToString());
        cut.Console.Should().Contain("Refused by a guard: nothing was sent.").And.Contain("a cut-short export?");
        var option = cut.Json.GetProperty("refused").GetProperty("option").GetString()!;
        option.Should().MatchRegex(@"^--max-removals \d+%$");
        cut.Console.Should().Contain("run the same command with " + option);
        empty.ExitCode.Should().Be(ExitCodes.Refused);
        empty.Json.GetProperty("refused").GetProperty("guard").GetString().Should().Be("EmptySource");
        empty.Json.GetProperty("refused").GetProperty("option").GetString().Should().Be("--max-removals all");
        _emulator.Log.Requests.Count(IsWrite).Should().Be(writes, "a refused run writes nothing");

        var accepted = await _cli.RunAsync(Sync("cut.csv", option.Split(' ')));
        accepted.ExitCode.Should().BeOneOf(ExitCodes.Synced, ExitCodes.LeftOut);
        accepted.Json.GetProperty("removed").GetInt64().Should().BeGreaterThan(100);
    }

    [Fact]
    public async Task A_first_sync_into_a_list_nobody_can_read_is_refused_until_accepted_or_made_add_only()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone,First Name\n+33601020304,Ada\n+33601020305,Grace\n");

        var refused = await _cli.RunAsync("sync", "clean.csv", "--account", "octopush", "--list-name", "Alerts", "--json");
        var addOnly = await _cli.RunAsync("sync", "clean.csv", "--account", "octopush", "--list-name", "Alerts", "--remove", "none", "--json");

        refused.ExitCode.Should().Be(ExitCodes.Refused, refused.ToString());
        refused.Json.GetProperty("refused").GetProperty("option").GetString().Should().Be("--max-removals all (or --remove none, to only add)");
        addOnly.ExitCode.Should().Be(ExitCodes.Synced, addOnly.ToString());
        addOnly.Json.GetProperty("added").GetInt64().Should().Be(2);
        _emulator.Octopush.State.GetMemberPhones("Alerts").Should().Equal("+33601020304", "+33601020305");
    }

    [Fact]
    public async Task The_ledger_commands_list_and_forget_what_the_syncs_sent()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone\n+14155550101\n+14155550102\n");
        var synced = await _cli.RunAsync("sync", "clean.csv", "--account", "slicktext", "--list-name", "Known", "--json");
        var listId = synced.Json.GetProperty("listId").GetString()!;

        var listed = await _cli.RunAsync("ledger", "list", "--json");
        var forgot = await _cli.RunAsync("ledger", "forget", "--account", "slicktext", "--list", listId);
        var after = await _cli.RunAsync("ledger", "list", "--json");

        listed.Json.EnumerateArray().Should().ContainSingle(l => l.GetProperty("listId").GetString() == listId && l.GetProperty("outcome").GetString() == "Completed");
        forgot.Console.Should().Contain("the next sync into it is a first sync");
        after.Json.EnumerateArray().Should().BeEmpty();
        System.IO.File.Exists(_cli.LedgerPath).Should().BeTrue();
    }

    [Fact]
    public async Task A_bad_email_beside_a_valid_phone_is_left_out_alone_unless_strict_fields_is_asked_for()
    {
        System.IO.File.WriteAllText(File("typo.csv"), "Phone,Email\n+14155550101,ann@example.com\n+14155550102,bob@@example\n");

        var lenient = await _cli.RunAsync("sync", "typo.csv", "--account", "slicktext", "--list-name", "Lenient", "--json");
        var strict = await _cli.RunAsync("sync", "typo.csv", "--account", "slicktext", "--list-name", "Strict", "--json", "--strict-fields");

        lenient.ExitCode.Should().Be(ExitCodes.Synced, lenient.ToString());
        (lenient.Json.GetProperty("added").GetInt64(), lenient.Json.GetProperty("leftOut").GetInt64()).Should().Be((2, 0), "the contact is sent without its bad e-mail");
        lenient.Json.GetProperty("fieldsLeftOut").ToString().Should().Contain("Email");
        (strict.Json.GetProperty("added").GetInt64(), strict.Json.GetProperty("leftOut").GetInt64()).Should().Be((1, 1), "--strict-fields leaves the whole contact out");
    }

    [Fact]
    public async Task Json_prints_one_object_with_the_exit_code_and_why_when_the_run_fails_before_its_plan_is_applied()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone\n+14155550101\n");
        // The list's creation is answered with an HTML page from something in front of the provider.
        _emulator.Options.Faults.Kinds = [EmulatorFault.HtmlPage];
        _emulator.Options.Faults.Where = t => t.Method == "POST" && t.Path.EndsWith("/lists", StringComparison.Ordinal);
        _emulator.Options.Faults.Rate = 1;

        var run = await _cli.RunAsync("sync", "clean.csv", "--account", "slicktext", "--list-name", "Blocked", "--json");

        run.ExitCode.Should().Be(ExitCodes.Interrupted, run.ToString());
        using var document = JsonDocument.Parse(run.Out);
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal("exitCode", "error");
        run.Json.GetProperty("exitCode").GetInt32().Should().Be(ExitCodes.Interrupted);
        run.Json.GetProperty("error").GetString().Should().Contain("SlickText");
        run.Json.GetProperty("error").GetString().Should().NotContain("emulator-slicktext-key", "no secret in what a cron job keeps");
    }

    [Fact]
    public async Task Json_prints_one_object_on_stdout_and_nothing_else()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone\n+14155550101\n+14155550101\n+14155550102\n");

        var run = await _cli.RunAsync("sync", "clean.csv", "--account", "slicktext", "--list-name", "Json", "--json");

        using var document = JsonDocument.Parse(run.Out);
        document.RootElement.EnumerateObject().Select(p => p.Name).Should().Equal(
            "listId", "read", "added", "updated", "removed", "unchanged", "kept", "duplicates", "leftOut", "leftOutReasons", "fieldsLeftOut", "optedOut", "resumed", "refused", "exitCode");
        (run.Json.GetProperty("read").GetInt64(), run.Json.GetProperty("added").GetInt64(), run.Json.GetProperty("duplicates").GetInt64()).Should().Be((3, 2, 1));
        run.Json.GetProperty("exitCode").GetInt32().Should().Be(0, "exact duplicates count as synced");
        run.ExitCode.Should().Be(0);
    }

    [Fact]
    public async Task Plan_prints_the_whole_plan_with_or_without_a_list_and_sends_nothing()
    {
        MessyExport.Write(File("customers.csv"), 200);
        _emulator.Log.Clear();

        var plan = await _cli.RunAsync("plan", "customers.csv", "--account", "slicktext", "--list-name", "Not yet", "--region", "GB");

        plan.ExitCode.Should().Be(0, plan.ToString());
        plan.Console.Should().Contain("a new list: every valid contact is added").And.Contain("add:").And.Contain("duplicates:")
            .And.Contain("left out:").And.Contain("× Phone not valid").And.Contain("estimated:").And.Contain("Dry run: nothing was sent.");
        _emulator.Log.Requests.Should().NotContain(r => r.Method != "GET");
        var movio = await _cli.RunAsync("plan", "customers.csv", "--account", "movio", "--list-name", "Spring");
        movio.ExitCode.Should().Be(ExitCodes.Usage);
        movio.Console.Should().Contain("Movio's own app").And.Contain("--list");
    }

    [Theory]
    [InlineData("SlickText", 7)]
    [InlineData("Messengeo", 3)]
    [InlineData("Whippy", 2)]
    public async Task An_interrupted_sync_resumes_to_the_state_of_an_uninterrupted_one_without_sending_a_contact_twice(string provider, int interruptAfterBatches)
    {
        var export = MessyExport.Write(File("customers.csv"), 400);
        var signals = new CliSignals();
        var memberships = 0;
        bool IsMembershipWrite(EmulatorRequest request) => request.Provider == provider && provider switch
        {
            "SlickText" => request.Method == "POST" && request.Path.EndsWith("/lists/contacts", StringComparison.Ordinal),
            "Messengeo" => request.Method == "POST" && request.Path.Contains("action=contactadd", StringComparison.Ordinal),
            _ => request.Method == "PUT",
        };
        _emulator.Log.Answered += request =>
        {
            // Interrupted as Ctrl+C would, once that many batches were answered.
            if (IsMembershipWrite(request) && Interlocked.Increment(ref memberships) == interruptAfterBatches)
            {
                signals.Interrupt();
            }
        };
        // Small batches, so that the interruption lands between batches of one call.
        System.IO.File.WriteAllText(File("appsettings.json"), """{ "ContactLists": { "SlickText": { "slicktext": { "BatchSize": 20 } }, "Messengeo": { "messengeo": { "BatchSize": 50 } }, "Whippy": { "whippy": { "BatchSize": 100 } } } }""");
        string[] args = ["sync", "customers.csv", "--account", provider.ToLowerInvariant(), "--list-name", "Resume", "--region", "GB", "--json"];

        var interrupted = await _cli.RunAsync(args, signals);
        var listId = interrupted.Json.GetProperty("listId").GetString()!;
        var resumed = await _cli.RunAsync(args);

        interrupted.ExitCode.Should().Be(ExitCodes.Interrupted, interrupted.ToString());
        interrupted.Console.Should().Contain("Resume with: contactlists sync customers.csv --account").And.Contain("recorded in the ledger");
        resumed.ExitCode.Should().Be(ExitCodes.LeftOut, resumed.ToString());
        resumed.Json.GetProperty("listId").GetString().Should().Be(listId);
        resumed.Json.GetProperty("resumed").GetBoolean().Should().BeTrue();
        var expected = SyncExpectations.Expected(provider, export);
        (interrupted.Json.GetProperty("added").GetInt64() + resumed.Json.GetProperty("added").GetInt64()).Should().Be(expected.Count, "the two runs add each contact once");
        SyncExpectations.Members(ReliabilityTarget.All[provider], _emulator, listId).Should().BeEquivalentTo(expected, "exactly the state of an uninterrupted run");

        // Nothing answered before the interruption is sent again.
        switch (provider)
        {
            case "SlickText":
                _emulator.Log.Requests.Count(r => r.Provider == "SlickText" && r.Method == "POST" && r.Path.EndsWith("/contacts", StringComparison.Ordinal) && !r.Path.Contains("/lists/", StringComparison.Ordinal))
                    .Should().Be(expected.Count, "each contact is created once");
                break;
            case "Messengeo":
                _emulator.Messengeo.State.ContactCount.Should().Be(expected.Count, "each contact is created once");
                break;
            default:
                // A replace interrupted after its overwrite goes on with adds: as many requests as an uninterrupted run.
                _emulator.Log.Requests.Count(IsMembershipWrite).Should().Be((expected.Count + 99) / 100);
                break;
        }
    }

    [Fact]
    public async Task Lists_count_export_and_copy_work_on_the_emulator()
    {
        System.IO.File.WriteAllText(File("clean.csv"), "Phone,First Name,City\n+14155550101,Ada,Leeds\n+14155550102,Grace,York\n");
        var synced = await _cli.RunAsync("sync", "clean.csv", "--account", "messengeo", "--list-name", "Source", "--json");
        var listId = synced.Json.GetProperty("listId").GetString()!;

        var count = await _cli.RunAsync("count", "--account", "messengeo", "--list", listId);
        var export = await _cli.RunAsync("export", "--account", "messengeo", "--list", listId, "-o", "members.csv");
        var copy = await _cli.RunAsync("copy", "--from", "messengeo:" + listId, "--to", "slicktext:name=Copy", "--json");

        count.Out.Trim().Should().Be("2");
        var lines = System.IO.File.ReadAllLines(File("members.csv"));
        lines[0].Should().StartWith("Id,Phone,Email,First Name,Last Name,External Id,field01");
        lines.Should().HaveCount(3).And.Contain(l => l.Contains("+14155550102,,Grace", StringComparison.Ordinal) && l.Contains("York", StringComparison.Ordinal));
        copy.ExitCode.Should().Be(0, copy.ToString());
        copy.Json.GetProperty("added").GetInt64().Should().Be(2);
    }
}
