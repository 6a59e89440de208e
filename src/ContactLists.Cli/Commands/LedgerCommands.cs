using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of the <c>ledger</c> commands.</summary>
internal class LedgerSettings : AccountSettings
{
    [CommandOption("--ledger <PATH>")]
    [Description("The sync ledger's file (default: ledger.db in the user's data folder; on Redis when ContactLists:Ledger:Redis is configured).")]
    public string? Ledger { get; init; }
}

/// <summary>The options of <c>ledger list</c>.</summary>
internal sealed class LedgerListSettings : LedgerSettings
{
    [CommandOption("--json")]
    [Description("Print the lists as one JSON array on stdout.")]
    public bool Json { get; init; }
}

/// <summary>The options of <c>ledger forget</c>.</summary>
internal sealed class LedgerForgetSettings : LedgerSettings
{
    [CommandOption("-l|--list <ID>")]
    [Description("The list to forget, by id.")]
    public string List { get; init; } = string.Empty;

    public override ValidationResult Validate()
        => string.IsNullOrWhiteSpace(List) ? ValidationResult.Error("Say which list with --list ID.")
            : string.IsNullOrWhiteSpace(Account) ? ValidationResult.Error("Say which account with --account NAME.")
            : ValidationResult.Success();
}

/// <summary><c>contactlists ledger list</c>: the lists the ledger knows, and how their last sync ended.</summary>
internal sealed class LedgerListCommand(CliEnvironment environment) : AsyncCommand<LedgerListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LedgerListSettings settings, CancellationToken cancellationToken)
    {
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, settings.Ledger, environment.Signals.Abort).ConfigureAwait(false);
        var known = new List<KeyValuePair<SyncTarget, SyncRunRecord>>();
        await foreach (var entry in accounts.Ledger.ListAsync(environment.Signals.Abort).ConfigureAwait(false))
        {
            known.Add(entry);
        }

        if (settings.Json)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (var (target, run) in known)
                {
                    json.WriteStartObject();
                    json.WriteString("account", run.Account);
                    json.WriteString("provider", run.Provider);
                    json.WriteString("accountId", target.AccountId);
                    json.WriteString("listId", target.ListId);
                    json.WriteString("outcome", run.Outcome.ToString());
                    json.WriteString("startedAt", run.StartedAt);
                    if (run.LastCompletedAt is { } completed)
                    {
                        json.WriteString("lastCompletedAt", completed);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            environment.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return ExitCodes.Synced;
        }

        var table = new Table().AddColumn("account").AddColumn("provider").AddColumn("list").AddColumn("last run").AddColumn("started").AddColumn("last completed");
        foreach (var (target, run) in known)
        {
            table.AddRow(Markup.Escape(run.Account ?? "?"), run.Provider, Markup.Escape(target.ListId), run.Outcome.ToString(),
                run.StartedAt.ToString("u", CultureInfo.InvariantCulture), run.LastCompletedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "never");
        }

        environment.Console.Write(table);
        environment.Console.MarkupLineInterpolated($"{known.Count} lists in the ledger ({accounts.LedgerDescription}).");
        return ExitCodes.Synced;
    }
}

/// <summary>
/// <c>contactlists ledger forget</c>: forgets what the syncs sent a list (its phones and e-mails) and its last run. The
/// next sync into it starts as a first sync.
/// </summary>
internal sealed class LedgerForgetCommand(CliEnvironment environment) : AsyncCommand<LedgerForgetSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, LedgerForgetSettings settings, CancellationToken cancellationToken)
    {
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, settings.Ledger, environment.Signals.Abort).ConfigureAwait(false);
        var client = accounts.Client(settings.Account);
        var target = new ContactListSync(client, accounts.Ledger).TargetOf(settings.List);
        var known = await accounts.Ledger.GetRunAsync(target, environment.Signals.Abort).ConfigureAwait(false) is not null;
        await accounts.Ledger.ForgetAsync(target, environment.Signals.Abort).ConfigureAwait(false);
        if (known)
        {
            environment.Console.MarkupLineInterpolated($"Forgot {client.ProviderName} list '{settings.List}' of account '{settings.Account}': the next sync into it is a first sync.");
        }
        else
        {
            environment.Console.MarkupLineInterpolated($"The ledger did not know {client.ProviderName} list '{settings.List}' of account '{settings.Account}'; nothing to forget.");
        }
        return ExitCodes.Synced;
    }
}
