using System.ComponentModel;
using System.Runtime.CompilerServices;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of <c>sync</c> and <c>plan</c>.</summary>
internal sealed class SyncSettings : SyncJobSettings
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

    [CommandOption("--rejects <PATH>")]
    [Description("Write the rows left out (invalid, refused by the provider, or not sent) to this CSV file, with their reasons.")]
    public string? Rejects { get; init; }

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
            : base.Validate();
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
/// <see cref="ContactListSync"/> (see <see cref="SyncRunner"/>). This command reads the file and its options.
/// </summary>
internal sealed class SyncCommand(CliEnvironment environment) : AsyncCommand<SyncSettings>
{
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
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, settings.Ledger, abort).ConfigureAwait(false);
        var client = accounts.Client(settings.Account);
        var columns = await ContactCsv.ReadColumnsAsync(file, settings.Columns, abort).ConfigureAwait(false);
        CheckIdentityColumn(client, columns, file);

        // The file row of each source position, for the rejects file (read again by every pass over the file).
        var rows = new List<long>();
        async IAsyncEnumerable<Contact> Rows([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            rows.Clear();
            await foreach (var row in ContactCsv.ReadRowsAsync(file, settings.Columns, cancellationToken).ConfigureAwait(false))
            {
                rows.Add(row.Row);
                yield return row.Contact;
            }
        }

        var bulk = new BulkOptions
        {
            DefaultRegion = settings.Region,
            AttributeMap = settings.AttributeMap,
            InvalidFields = settings.InvalidFields,
            ContinueOnError = true,
            StopSending = environment.Signals.Stop,
        };
        var runner = new SyncRunner(environment, accounts);
        environment.Console.MarkupLineInterpolated($"Syncing [bold]{System.IO.Path.GetFileName(file)}[/] into {client.ProviderName} account '{settings.Account}'.");
        return await runner.RunAsync(client, new ListChoice(settings.List, settings.ListName), () => Rows(abort), settings.Options(bulk), new RunOutput(
            dryRun,
            settings.Json,
            settings.Rejects is null ? null : environment.FullPath(settings.Rejects),
            position => position >= 0 && position < rows.Count ? rows[(int)position] : null)).ConfigureAwait(false);
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
}
