using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of <c>copy</c>.</summary>
internal sealed class CopySettings : CommandSettings
{
    [CommandOption("--from <ACCOUNT:LIST>")]
    [Description("The list to copy: the account, a colon, the list's id.")]
    public string From { get; init; } = string.Empty;

    [CommandOption("--to <ACCOUNT:LIST>")]
    [Description("The list to make equal to it: ACCOUNT:LIST-ID, or ACCOUNT:name=NAME for the list of that name (created when there is none, where the provider can).")]
    public string To { get; init; } = string.Empty;

    [CommandOption("-n|--dry-run")]
    [Description("Print the plan and change nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object on stdout at the end, as sync does.")]
    public bool Json { get; init; }

    [CommandOption("--emulator")]
    [Description("Use an emulator started in this process (its state is lost when the command ends).")]
    public bool Emulator { get; init; }

    public override ValidationResult Validate()
        => Split(From) is null ? ValidationResult.Error("--from takes ACCOUNT:LIST, such as marketing:6c510dfc.")
            : Split(To) is null ? ValidationResult.Error("--to takes ACCOUNT:LIST or ACCOUNT:name=NAME.")
            : ValidationResult.Success();

    /// <summary>ACCOUNT:LIST as its two parts.</summary>
    public static (string Account, string List)? Split(string value)
        => value.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && colon < value.Length - 1 ? (value[..colon], value[(colon + 1)..]) : null;
}

/// <summary><c>contactlists copy</c>: makes one list (of any provider) hold exactly the members of another.</summary>
internal sealed class CopyCommand(CliEnvironment environment) : AsyncCommand<CopySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CopySettings settings, CancellationToken cancellationToken)
    {
        var (fromAccount, fromList) = CopySettings.Split(settings.From)!.Value;
        var (toAccount, toList) = CopySettings.Split(settings.To)!.Value;
        var abort = environment.Signals.Abort;
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, abort).ConfigureAwait(false);
        var source = accounts.Client(fromAccount);
        var target = accounts.Client(toAccount);
        if (!source.Capabilities.HasFlag(ContactListCapabilities.GetContacts) && !source.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            throw new CliUsageException($"{source.ProviderName} has no call to read a list's contacts, so its lists cannot be copied.");
        }

        var resolved = toList.StartsWith("name=", StringComparison.Ordinal)
            ? await ListResolver.ByNameAsync(target, toList["name=".Length..], accounts.Emulator, abort).ConfigureAwait(false)
            : new ListResolver.Target(toList, null);
        var sync = new ContactListSync(target);
        var bulk = new BulkOptions { ContinueOnError = true, StopSending = environment.Signals.Stop };
        var view = new SyncView(environment, accounts.Pacing);
        if (settings.DryRun)
        {
            var planned = resolved.Exists
                ? await sync.PlanAsync(resolved.Id!, ContactListSync.ReadListAsync(source, fromList, abort), new SyncOptions { Bulk = bulk }, abort).ConfigureAwait(false)
                : await sync.PlanNewListAsync(resolved.NameToCreate!, ContactListSync.ReadListAsync(source, fromList, abort), new SyncOptions { Bulk = bulk }, abort).ConfigureAwait(false);
            view.Plan(planned);
            environment.Console.MarkupLine("[yellow]Dry run: nothing was sent.[/]");
            Report(settings, RunSummary.Of(new SyncResult(planned, null, null), ExitCodes.Synced));
            return ExitCodes.Synced;
        }

        var listId = resolved.Id ?? (await target.CreateListAsync(new NewContactList(resolved.NameToCreate!), abort).ConfigureAwait(false)).Id;
        var plan = await sync.PlanAsync(listId, ContactListSync.ReadListAsync(source, fromList, abort), new SyncOptions { Bulk = bulk }, abort).ConfigureAwait(false);
        view.Plan(plan);
        SyncResult result;
        try
        {
            result = await view.RunAsync(plan, onProgress => sync.ApplyAsync(plan, new SyncOptions { Bulk = bulk, OnProgress = onProgress }, abort)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or ContactListException)
        {
            environment.Console.MarkupLineInterpolated($"[red]{(ex is OperationCanceledException ? "Interrupted" : "Failed: " + ex.Message)}[/] Run the same command again: it sends only what is still missing.");
            Report(settings, RunSummary.Failed(listId, ExitCodes.Interrupted));
            return ExitCodes.Interrupted;
        }

        var exitCode = result.LeftOutReasons.Count == 0 ? ExitCodes.Synced : ExitCodes.LeftOut;
        view.Summary(result, exitCode, null);
        Report(settings, RunSummary.Of(result, exitCode));
        return exitCode;
    }

    private void Report(CopySettings settings, RunSummary summary)
    {
        if (settings.Json)
        {
            environment.Out.WriteLine(SyncView.Json(summary));
        }
    }
}
