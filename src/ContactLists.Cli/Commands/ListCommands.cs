using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options of <c>lists</c>.</summary>
internal sealed class ListsSettings : AccountSettings
{
    [CommandOption("--json")]
    [Description("Print the lists as one JSON array on stdout.")]
    public bool Json { get; init; }
}

/// <summary><c>contactlists lists</c>: the account's lists, their ids, names and sizes.</summary>
internal sealed class ListsCommand(CliEnvironment environment) : AsyncCommand<ListsSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ListsSettings settings, CancellationToken cancellationToken)
    {
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, ledgerPath: null, environment.Signals.Abort).ConfigureAwait(false);
        var client = accounts.Client(settings.Account);
        if (!client.Capabilities.HasFlag(ContactListCapabilities.ListLists))
        {
            throw new CliUsageException($"{client.ProviderName} has no call to list lists: find a list's id in {client.ProviderName}'s own app.");
        }

        var lists = new List<ContactList>();
        await foreach (var list in client.GetListsAsync(environment.Signals.Abort).ConfigureAwait(false))
        {
            lists.Add(list);
        }

        if (settings.Json)
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartArray();
                foreach (var list in lists)
                {
                    json.WriteStartObject();
                    json.WriteString("id", list.Id);
                    json.WriteString("name", list.Name);
                    if (list.ContactCount is { } count)
                    {
                        json.WriteNumber("contacts", count);
                    }

                    json.WriteString("status", list.Status.ToString());
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            environment.Out.WriteLine(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
            return ExitCodes.Synced;
        }

        var table = new Table().AddColumn("id").AddColumn("name").AddColumn(new TableColumn("contacts").RightAligned()).AddColumn("status");
        foreach (var list in lists)
        {
            table.AddRow(Markup.Escape(list.Id), Markup.Escape(list.Name ?? string.Empty), list.ContactCount?.ToString("N0", CultureInfo.InvariantCulture) ?? "—", list.Status.ToString());
        }

        environment.Console.Write(table);
        environment.Console.MarkupLineInterpolated($"{lists.Count} lists.");
        return ExitCodes.Synced;
    }
}

/// <summary>The options of <c>count</c> and <c>export</c>.</summary>
internal class ListSettings : AccountSettings
{
    [CommandOption("-l|--list <ID>")]
    [Description("The list, by id.")]
    public string List { get; init; } = string.Empty;

    public override ValidationResult Validate()
        => string.IsNullOrWhiteSpace(List) ? ValidationResult.Error("Say which list with --list ID.") : ValidationResult.Success();
}

/// <summary><c>contactlists count</c>: how many contacts a list holds.</summary>
internal sealed class CountCommand(CliEnvironment environment) : AsyncCommand<ListSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ListSettings settings, CancellationToken cancellationToken)
    {
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, ledgerPath: null, environment.Signals.Abort).ConfigureAwait(false);
        var client = accounts.Client(settings.Account);
        if (!client.Capabilities.HasFlag(ContactListCapabilities.CountContacts))
        {
            throw new CliUsageException($"{client.ProviderName} has no call to count a list's contacts.");
        }

        // The number alone on stdout, for scripts.
        environment.Out.WriteLine((await client.CountContactsAsync(settings.List, environment.Signals.Abort).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture));
        return ExitCodes.Synced;
    }
}

/// <summary>The options of <c>export</c>.</summary>
internal sealed class ExportSettings : ListSettings
{
    [CommandOption("-o|--output <FILE>")]
    [Description("Write the CSV to this file (default: stdout).")]
    public string? Output { get; init; }
}

/// <summary>
/// <c>contactlists export</c>: a list's members as CSV: the neutral fields, the provider's fields it gives back (its
/// field model), and any other attribute in a last column (<see cref="ContactCsv.WriteAsync"/>).
/// </summary>
internal sealed class ExportCommand(CliEnvironment environment) : AsyncCommand<ExportSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, ExportSettings settings, CancellationToken cancellationToken)
    {
        await using var accounts = await Accounts.OpenAsync(environment, settings.Emulator, ledgerPath: null, environment.Signals.Abort).ConfigureAwait(false);
        var client = accounts.Client(settings.Account);
        if (!client.Capabilities.HasFlag(ContactListCapabilities.GetContacts) && !client.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            throw new CliUsageException($"{client.ProviderName} has no call to read a list's contacts, so its lists cannot be exported.");
        }

        var fields = await client.GetFieldsAsync(environment.Signals.Abort).ConfigureAwait(false);
        var custom = fields.Fields.Where(f => f.Kind == ContactFieldKind.Custom && f.ReadBack).Select(f => f.Name).ToArray();
        var path = settings.Output is null ? null : environment.FullPath(settings.Output);
        var writer = path is null ? environment.Out : new StreamWriter(path + ".tmp", append: false, new System.Text.UTF8Encoding(false));
        long count;
        try
        {
            count = await ContactCsv.WriteAsync(writer, client.GetContactsAsync(settings.List, environment.Signals.Abort), custom, environment.Signals.Abort).ConfigureAwait(false);
        }
        catch (ContactListException ex)
        {
            environment.Console.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return ExitCodes.Interrupted;
        }
        finally
        {
            if (path is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (path is not null)
        {
            // Written whole, then in place: an interrupted export never leaves half a file under the name asked for.
            File.Move(path + ".tmp", path, overwrite: true);
            environment.Console.MarkupLineInterpolated($"{count:N0} contacts written to {path}.");
        }

        return ExitCodes.Synced;
    }
}
