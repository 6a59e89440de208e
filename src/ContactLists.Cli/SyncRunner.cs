using Spectre.Console;

namespace ContactLists.Cli;

/// <summary>The list a command syncs into: by id, or by name (found, or created where the provider can).</summary>
/// <param name="Id">The list's id.</param>
/// <param name="Name">The list's name.</param>
internal sealed record ListChoice(string? Id, string? Name);

/// <summary>What a run prints and writes besides the console: a dry run or not, <c>--json</c>, the rejects file and the file row of a source position.</summary>
internal sealed record RunOutput(bool DryRun, bool Json, string? RejectsPath, Func<long, long?>? RowOf);

/// <summary>
/// One sync, as <c>sync</c> and <c>copy</c> run it: the list found (or created), the plan shown, a refusal explained
/// with the option that accepts it, the apply shown live and stopped gracefully on Ctrl+C or SIGTERM, the summary, the
/// rejects and the JSON. The job itself is the library's <see cref="ContactListSync"/>: it plans, guards, applies,
/// and records every answered batch in the ledger, so that running the same command again resumes.
/// </summary>
internal sealed class SyncRunner(CliEnvironment environment, Accounts accounts)
{
    private IAnsiConsole Console => environment.Console;

    public async Task<int> RunAsync(IContactListClient client, ListChoice list, Func<IAsyncEnumerable<Contact>> source, SyncOptions options, RunOutput output)
    {
        try
        {
            return await RunCoreAsync(client, list, source, options, output).ConfigureAwait(false);
        }
        catch (Exception failed) when (output.Json)
        {
            // A failure before the plan was applied (the list's read or creation, the source): --json still prints one
            // object, with the exit code the failure ends the command with and why; the failure goes on to be shown.
            var (code, message) = ExitCodes.Of(failed);
            environment.Out.WriteLine(SyncView.FailureJson(code, message));
            throw;
        }
    }

    private async Task<int> RunCoreAsync(IContactListClient client, ListChoice list, Func<IAsyncEnumerable<Contact>> source, SyncOptions options, RunOutput output)
    {
        var abort = environment.Signals.Abort;
        var sync = new ContactListSync(client, accounts.Ledger, environment.Time);
        var view = new SyncView(environment);
        if (accounts.Emulator is not null)
        {
            Console.MarkupLineInterpolated($"[yellow]Using an emulator in this process ({accounts.Emulator.BaseAddress}): what it holds, and the ledger, are lost when this command ends.[/]");
        }

        var (listId, newName) = await ResolveAsync(client, list, abort).ConfigureAwait(false);
        if (newName is not null)
        {
            // A new list is planned before it is created, so that a refused plan creates nothing.
            using var planned = await sync.PlanNewListAsync(newName, source(), options, abort).ConfigureAwait(false);
            view.Plan(planned);
            if (output.DryRun || planned.Refusal is not null)
            {
                return await FinishDryRunAsync(planned, output, view).ConfigureAwait(false);
            }

            listId = (await client.CreateListAsync(new NewContactList(newName), abort).ConfigureAwait(false)).Id;
            Console.MarkupLineInterpolated($"Created list '{newName}' (id {listId}).");
        }

        using var plan = await sync.PlanAsync(listId!, source(), options, abort).ConfigureAwait(false);
        if (newName is null || output.DryRun)
        {
            view.Plan(plan);
        }

        if (output.DryRun)
        {
            return await FinishDryRunAsync(plan, output, view).ConfigureAwait(false);
        }

        environment.Signals.Graceful = true;
        environment.Signals.OnInterrupt = count => Console.MarkupLine(count == 1
            ? "[yellow]Stopping: no new request is sent; waiting for those in flight (Ctrl+C again to abandon them).[/]"
            : "[yellow]Abandoning the requests in flight: their contacts may have been received, and are checked on resume.[/]");
        SyncResult result;
        try
        {
            result = await view.RunAsync(plan, onProgress => sync.ApplyAsync(plan, new SyncOptions
            {
                Bulk = options.Bulk,
                OnProgress = onProgress,
            }, abort)).ConfigureAwait(false);
        }
        catch (ContactListSyncRefusedException refused)
        {
            return Refused(refused.Plan, refused.Refusal, output);
        }
        catch (ContactListSyncCanceledException stopped)
        {
            Console.MarkupLine("[red]Interrupted.[/]");
            return await StoppedAsync(stopped.Result, output).ConfigureAwait(false);
        }
        catch (ContactListException failed)
        {
            Console.MarkupLineInterpolated($"[red]Failed: {failed.Message}[/]");
            return await StoppedAsync(new SyncResult(plan, null, null, null), output).ConfigureAwait(false);
        }
        finally
        {
            environment.Signals.Graceful = false;
            environment.Signals.OnInterrupt = null;
        }

        var exitCode = result.LeftOutReasons.Count == 0 ? ExitCodes.Synced : ExitCodes.LeftOut;
        await WriteRejectsAsync(result, output).ConfigureAwait(false);
        view.Summary(result, exitCode, output.RejectsPath);
        Report(output, RunSummary.Of(result, exitCode));
        return exitCode;
    }

    /// <summary>The list to sync into: its id, or the name of a list to create (found by name where the provider can find lists).</summary>
    private async Task<(string? Id, string? NewName)> ResolveAsync(IContactListClient client, ListChoice list, CancellationToken cancellationToken)
    {
        if (list.Id is { } id)
        {
            return (id, null);
        }

        var name = list.Name!.Trim();
        try
        {
            if (await client.FindListByNameAsync(name, cancellationToken).ConfigureAwait(false) is { } found)
            {
                return (found.Id, null);
            }
        }
        catch (ContactListOperationNotSupportedException notFindable)
        {
            // The emulator in this process stands in for the provider's own app, where such lists are made.
            return accounts.Emulator?.CreateListInApp(client.ProviderName, name) is { } made
                ? (made, null)
                : throw new CliUsageException($"{notFindable.Message} Then pass --list with its id.");
        }
        catch (ContactListValidationException several)
        {
            throw new CliUsageException(several.Message + " Say which with --list ID.");
        }

        return client.Capabilities.HasFlag(ContactListCapabilities.CreateList)
            ? (null, name)
            : throw new CliUsageException($"No {client.ProviderName} list is named '{name}', and {client.ProviderName} lists cannot be created through its API.");
    }

    private async Task<int> FinishDryRunAsync(SyncPlan plan, RunOutput output, SyncView view)
    {
        if (plan.Refusal is { } refusal)
        {
            return Refused(plan, refusal, output);
        }

        Console.MarkupLine("[yellow]Dry run: nothing was sent.[/]");
        var planned = new SyncResult(plan, null, null, null);
        await WriteRejectsAsync(planned, output).ConfigureAwait(false);
        Report(output, RunSummary.Of(planned, ExitCodes.Synced));
        return ExitCodes.Synced;
    }

    /// <summary>A guard's refusal: the reason, and the exact option that accepts it. Nothing was sent.</summary>
    private int Refused(SyncPlan plan, SyncRefusal refusal, RunOutput output)
    {
        var option = Option(refusal);
        Console.MarkupLineInterpolated($"[red]Refused by a guard: nothing was sent.[/] {char.ToUpperInvariant(refusal.Reason[0]) + refusal.Reason[1..]}");
        Console.MarkupLineInterpolated($"If that is what you want, run the same command with [bold]{option}[/].");
        Report(output, RunSummary.Of(new SyncResult(plan, null, null, null), ExitCodes.Refused) with { Refused = (refusal.Guard.ToString(), refusal.Reason, option) });
        return ExitCodes.Refused;
    }

    /// <summary>The command-line option that accepts a refusal.</summary>
    private static string Option(SyncRefusal refusal) => refusal.Guard switch
    {
        SyncGuard.MaxLeftOut => $"--max-left-out {refusal.Needed}",
        SyncGuard.UnknownRemovals => "--max-removals all (or --remove none, to only add)",
        _ => $"--max-removals {refusal.Needed}",
    };

    private async Task<int> StoppedAsync(SyncResult partial, RunOutput output)
    {
        Console.MarkupLineInterpolated($"So far {partial.AddedCount:N0} added, {partial.UpdatedCount:N0} updated and {partial.RemovedCount:N0} removed; everything answered is recorded in the ledger ({accounts.LedgerDescription}).");
        Console.MarkupLineInterpolated($"Resume with: [bold]{ResumeCommand()}[/]");
        await WriteRejectsAsync(partial, output).ConfigureAwait(false);
        Report(output, RunSummary.Of(partial, ExitCodes.Interrupted));
        return ExitCodes.Interrupted;
    }

    private static async Task WriteRejectsAsync(SyncResult result, RunOutput output)
    {
        if (output.RejectsPath is not { } path)
        {
            return;
        }

        // Written whole, then in place: an interrupted run never leaves half a file under the name asked for.
        var temporary = path + ".tmp";
        await using (var writer = new StreamWriter(temporary, append: false, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)))
        {
            await ContactCsv.WriteLeftOutAsync(writer, result.LeftOut, output.RowOf).ConfigureAwait(false);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private void Report(RunOutput output, RunSummary summary)
    {
        if (output.Json)
        {
            environment.Out.WriteLine(SyncView.Json(summary));
        }
    }

    /// <summary>The command as it was run, to run again.</summary>
    private string ResumeCommand() => "contactlists " + string.Join(' ', environment.Arguments.Select(a => a.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or '$' or '&' or ';' or '|') ? "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'" : a));
}
