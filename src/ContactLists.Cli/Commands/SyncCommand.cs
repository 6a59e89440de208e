using System.ComponentModel;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of <c>sync</c> and <c>plan</c>.</summary>
internal class SyncSettings : AccountSettings
{
    [CommandArgument(0, "<FILE>")]
    [Description("The CSV export to sync: a header row, then one contact per row (phone, e-mail, names; other columns are attributes).")]
    public string File { get; init; } = string.Empty;

    [CommandOption("-l|--list <ID>")]
    [Description("The list to sync into, by id.")]
    public string? List { get; init; }

    [CommandOption("--list-name <NAME>")]
    [Description("The list to sync into, by name: the existing list of that name (an error when several have it), else a new list of that name (where the provider can create lists).")]
    public string? ListName { get; init; }

    [CommandOption("--region <CC>")]
    [Description("The country of national phone numbers in the file (ISO 3166, such as GB): 07911 123456 becomes +447911123456.")]
    public string? Region { get; init; }

    [CommandOption("--map <COLUMN=FIELD>")]
    [Description("Map a column: to a contact field (--map \"Mobile Number=Phone\"; fields: Phone, Email, FirstName, LastName, ExternalId, Id) or to a provider field (--map Tier=param1). Repeat for several.")]
    public string[] Map { get; init; } = [];

    [CommandOption("-n|--dry-run")]
    [Description("Print the plan and change nothing (the same as the plan command).")]
    public bool DryRun { get; init; }

    [CommandOption("--state <PATH>")]
    [Description("Where to save progress after every answered batch, to resume an interrupted run. Default: beside the file, named after it, the account and the list.")]
    public string? State { get; init; }

    [CommandOption("--rejects <PATH>")]
    [Description("Write the rows left out (invalid, refused by the provider, or not sent) to this CSV file, with their reasons.")]
    public string? Rejects { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object on stdout at the end (listId, read, added, removed, unchanged, duplicates, leftOut, leftOutReasons, fieldsLeftOut, resumed, exitCode); everything else goes to stderr.")]
    public bool Json { get; init; }

    public override ValidationResult Validate()
    {
        if (List is null == ListName is null)
        {
            return ValidationResult.Error("Say which list: --list ID or --list-name NAME (one of them).");
        }

        if (Region is { } region && !PhoneNumbers.PhoneNumberUtil.GetInstance().GetSupportedRegions().Contains(region))
        {
            return ValidationResult.Error($"--region must be an ISO 3166 region code such as GB, FR or US; '{region}' is not one.");
        }

        return Map.FirstOrDefault(m => m.Split('=') is not [{ Length: > 0 }, { Length: > 0 }]) is { } bad
            ? ValidationResult.Error($"--map takes COLUMN=FIELD, such as \"Mobile Number=Phone\" or Tier=param1; '{bad}' is not one.")
            : ValidationResult.Success();
    }

    /// <summary>Columns read into a contact field (<c>--map "Mobile Number=Phone"</c>).</summary>
    public IReadOnlyDictionary<string, string> Columns => Map.Select(m => m.Split('='))
        .Where(m => ContactCsv.Fields.Contains(m[1], StringComparer.OrdinalIgnoreCase))
        .ToDictionary(m => m[0].Trim(), m => m[1].Trim(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Columns sent as a provider field (<c>--map Tier=param1</c>).</summary>
    public IReadOnlyDictionary<string, string> AttributeMap => Map.Select(m => m.Split('='))
        .Where(m => !ContactCsv.Fields.Contains(m[1], StringComparer.OrdinalIgnoreCase))
        .ToDictionary(m => m[0].Trim(), m => m[1].Trim(), StringComparer.OrdinalIgnoreCase);
}

/// <summary><c>contactlists plan</c>: <c>sync --dry-run</c>.</summary>
internal sealed class PlanCommand(CliEnvironment environment) : AsyncCommand<SyncSettings>
{
    public override Task<int> ExecuteAsync(CommandContext context, SyncSettings settings, CancellationToken cancellationToken)
        => new SyncCommand(environment).RunAsync(settings, dryRun: true);
}

/// <summary>
/// <c>contactlists sync</c>: makes a list hold exactly the contacts of a CSV export, through the library's
/// <see cref="ContactListSync"/>: plan, then apply, saving progress after every answered batch.
/// </summary>
internal sealed class SyncCommand(CliEnvironment environment) : AsyncCommand<SyncSettings>
{
    private IAnsiConsole Console => environment.Console;

    public override Task<int> ExecuteAsync(CommandContext context, SyncSettings settings, CancellationToken cancellationToken)
        => RunAsync(settings, settings.DryRun);

    public async Task<int> RunAsync(SyncSettings settings, bool dryRun)
    {
        // Everything the arguments can tell is checked before any account is touched.
        var file = environment.FullPath(settings.File);
        if (!file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliUsageException($"'{settings.File}' is not a .csv file: give a CSV export with a header row.");
        }

        if (!System.IO.File.Exists(file))
        {
            throw new CliUsageException($"File not found: {file}");
        }

        var abort = environment.Signals.Abort;
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, abort).ConfigureAwait(false);
        if (accounts.Emulator is not null)
        {
            Console.MarkupLineInterpolated($"[yellow]Using an emulator in this process ({accounts.Emulator.BaseAddress}): what it holds is lost when this command ends.[/]");
        }

        var client = accounts.Client(settings.Account);
        var columns = await ContactCsv.ReadColumnsAsync(file, settings.Columns, abort).ConfigureAwait(false);
        CheckIdentityColumn(client, columns, file);

        var target = settings.List is { } id ? new ListResolver.Target(id, null) : await ListResolver.ByNameAsync(client, settings.ListName!, accounts.Emulator, abort).ConfigureAwait(false);
        var sync = new ContactListSync(client);
        var rows = new List<long>();
        var bulk = new BulkOptions
        {
            DefaultRegion = settings.Region,
            AttributeMap = settings.AttributeMap,
            ContinueOnError = true,
            StopSending = environment.Signals.Stop,
        };
        var view = new SyncView(environment, accounts.Pacing);
        Console.MarkupLineInterpolated($"Syncing [bold]{System.IO.Path.GetFileName(file)}[/] into {client.ProviderName} account '{settings.Account}', list {(target.Exists ? "'" + target.Id + "'" : "'" + target.NameToCreate + "' (new)")}.");

        if (dryRun)
        {
            var planned = target.Exists
                ? await sync.PlanAsync(target.Id!, Rows(file, settings, rows, abort), new SyncOptions { Bulk = bulk }, abort).ConfigureAwait(false)
                : await sync.PlanNewListAsync(target.NameToCreate!, Rows(file, settings, rows, abort), new SyncOptions { Bulk = bulk }, abort).ConfigureAwait(false);
            view.Plan(planned);
            Console.MarkupLine("[yellow]Dry run: nothing was sent.[/]");
            var dry = new SyncResult(planned, null, null);
            if (settings.Rejects is { } rejects)
            {
                RejectsFile.Write(environment.FullPath(rejects), dry, rows);
            }

            Report(settings, RunSummary.Of(dry, ExitCodes.Synced));
            return ExitCodes.Synced;
        }

        var listId = target.Id ?? (await client.CreateListAsync(new NewContactList(target.NameToCreate!), abort).ConfigureAwait(false)).Id;
        if (!target.Exists)
        {
            Console.MarkupLineInterpolated($"Created list '{target.NameToCreate}' (id {listId}).");
        }

        // Resume what an interrupted run of this command left, unless the file changed since.
        var statePath = environment.FullPath(settings.State ?? SyncState.DefaultPath(file, settings.Account!, listId));
        var fingerprint = await SyncState.FingerprintAsync(file, abort).ConfigureAwait(false);
        var state = SyncState.Read(statePath) is { } saved && saved.Account == settings.Account && saved.ListId == listId ? saved : null;
        if (state is not null && state.Fingerprint != fingerprint)
        {
            Console.MarkupLine("[yellow]The file changed since the interrupted run: re-planning from the list as it is now.[/]");
            state = null;
        }

        state ??= new SyncState { File = file, Fingerprint = fingerprint, Account = settings.Account!, ListId = listId, StartedAt = environment.Time.GetUtcNow(), Checkpoint = new SyncCheckpoint() };
        var resuming = !state.Checkpoint.IsEmpty;
        if (resuming)
        {
            Console.MarkupLineInterpolated($"Resuming the interrupted sync of {state.StartedAt:u}: {state.Checkpoint.Added.Count:N0} added and {state.Checkpoint.Removed.Count:N0} removed then are not sent again.");
        }

        var options = new SyncOptions
        {
            Bulk = bulk,
            Checkpoint = state.Checkpoint,
            OnCheckpoint = _ => state.Write(statePath, environment.Time),
        };
        var plan = await sync.PlanAsync(listId, Rows(file, settings, rows, abort), options, abort).ConfigureAwait(false);
        view.Plan(plan);

        environment.Signals.Graceful = true;
        environment.Signals.OnInterrupt = count => Console.MarkupLine(count == 1
            ? "[yellow]Stopping: no new batch is sent; waiting for those in flight (Ctrl+C again to abandon them).[/]"
            : "[yellow]Abandoning the batches in flight: their contacts may have been received, and are sent again on resume.[/]");
        SyncResult result;
        try
        {
            result = await view.RunAsync(plan, onProgress => sync.ApplyAsync(plan, new SyncOptions
            {
                Bulk = bulk,
                Checkpoint = options.Checkpoint,
                OnCheckpoint = options.OnCheckpoint,
                OnProgress = onProgress,
            }, abort)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ContactListException)
        {
            // The state holds every answered batch: the same command resumes from there.
            state.Write(statePath, environment.Time);
            Console.MarkupLineInterpolated($"[red]{(ex is OperationCanceledException ? "Interrupted" : "Failed: " + ex.Message)}[/]");
            Console.MarkupLineInterpolated($"So far {state.Checkpoint.Added.Count:N0} added and {state.Checkpoint.Removed.Count:N0} removed; progress saved to {statePath}.");
            Console.MarkupLineInterpolated($"Resume with: [bold]{ResumeCommand()}[/]");
            Report(settings, RunSummary.Interrupted(plan, state.Checkpoint));
            return ExitCodes.Interrupted;
        }
        finally
        {
            environment.Signals.Graceful = false;
            environment.Signals.OnInterrupt = null;
        }

        // Done: the next run starts afresh.
        System.IO.File.Delete(statePath);
        var exitCode = result.LeftOutReasons.Count == 0 ? ExitCodes.Synced : ExitCodes.LeftOut;
        if (settings.Rejects is { } path)
        {
            RejectsFile.Write(environment.FullPath(path), result, rows);
        }

        view.Summary(result, exitCode, settings.Rejects is null ? null : environment.FullPath(settings.Rejects));
        Report(settings, RunSummary.Of(result, exitCode));
        return exitCode;
    }

    /// <summary>The file's contacts, recording the row of each (for the rejects file).</summary>
    private static async IAsyncEnumerable<Contact> Rows(string file, SyncSettings settings, List<long> rows, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        rows.Clear();
        await foreach (var row in ContactCsv.ReadRowsAsync(file, settings.Columns, cancellationToken).ConfigureAwait(false))
        {
            rows.Add(row.Row);
            yield return row.Contact;
        }
    }

    /// <summary>A file with no column the provider can identify contacts by is refused before anything is sent.</summary>
    private static void CheckIdentityColumn(IContactListClient client, ContactCsvColumns columns, string file)
    {
        var (has, what) = client.Identity switch
        {
            ContactIdentity.Phone => (columns.HasPhone, "a phone number (a column such as Phone, Mobile, Mobile Number, Cell)"),
            ContactIdentity.Email => (columns.HasEmail, "an e-mail address (a column such as Email, E-mail, Email Address)"),
            _ => (columns.HasPhone || columns.HasEmail || columns.Fields.Contains(nameof(Contact.Id)), "a phone number or an e-mail address (a column such as Phone, Mobile, Email)"),
        };
        if (!has)
        {
            throw new CliUsageException($"{client.ProviderName} identifies contacts by {what}, but no column of {System.IO.Path.GetFileName(file)} holds one; its columns: {string.Join(", ", columns.Headers)}. Name one with --map COLUMN=Phone or --map COLUMN=Email.");
        }
    }

    private void Report(SyncSettings settings, RunSummary summary)
    {
        if (settings.Json)
        {
            environment.Out.WriteLine(SyncView.Json(summary));
        }
    }

    /// <summary>The command as it was run, to run again.</summary>
    private string ResumeCommand() => "contactlists " + string.Join(' ', environment.Arguments.Select(a => a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '&' or ';' or '|') ? "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : a));
}
