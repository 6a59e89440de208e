using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of <c>copy</c>.</summary>
internal sealed class CopySettings : SyncJobSettings
{
    [CommandOption("--from <ACCOUNT:LIST>")]
    [Description("The list to copy: the account, a colon, the list's id.")]
    public string From { get; init; } = string.Empty;

    [CommandOption("--to <ACCOUNT:LIST>")]
    [Description("The list to make equal to it: ACCOUNT:LIST-ID, or ACCOUNT:name=NAME for the list of that name (created when there is none, where the provider can).")]
    public string To { get; init; } = string.Empty;

    public override ValidationResult Validate()
        => Account is not null ? ValidationResult.Error("copy names its accounts in --from and --to, not --account.")
            : Split(From) is null ? ValidationResult.Error("--from takes ACCOUNT:LIST, such as marketing:6c510dfc.")
            : Split(To) is null ? ValidationResult.Error("--to takes ACCOUNT:LIST or ACCOUNT:name=NAME.")
            : base.Validate();

    /// <summary>ACCOUNT:LIST as its two parts.</summary>
    public static (string Account, string List)? Split(string value)
        => value.IndexOf(':', StringComparison.Ordinal) is > 0 and var colon && colon < value.Length - 1 ? (value[..colon], value[(colon + 1)..]) : null;
}

/// <summary><c>contactlists copy</c>: makes one list (of any provider) hold exactly the members of another, as <c>sync</c> does with a file.</summary>
internal sealed class CopyCommand(CliEnvironment environment) : AsyncCommand<CopySettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CopySettings settings, CancellationToken cancellationToken)
    {
        var (fromAccount, fromList) = CopySettings.Split(settings.From)!.Value;
        var (toAccount, toList) = CopySettings.Split(settings.To)!.Value;
        var abort = environment.Signals.Abort;
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, settings.Ledger, abort).ConfigureAwait(false);
        var source = accounts.Client(fromAccount);
        var target = accounts.Client(toAccount);
        if (!source.Capabilities.HasFlag(ContactListCapabilities.GetContacts) && !source.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            throw new CliUsageException($"{source.ProviderName} has no call to read a list's contacts, so its lists cannot be copied.");
        }

        var list = toList.StartsWith("name=", StringComparison.Ordinal) ? new ListChoice(null, toList["name=".Length..]) : new ListChoice(toList, null);
        var bulk = new BulkOptions { InvalidFields = settings.InvalidFields, ContinueOnError = true, StopSending = environment.Signals.Stop };
        environment.Console.MarkupLineInterpolated($"Copying {source.ProviderName} list '{fromList}' into {target.ProviderName} account '{toAccount}'.");
        return await new SyncRunner(environment, accounts).RunAsync(target, list, () => ContactListSync.ReadListAsync(source, fromList, abort), settings.Options(bulk),
            new RunOutput(settings.DryRun, settings.Json, RejectsPath: null, RowOf: null)).ConfigureAwait(false);
    }
}
