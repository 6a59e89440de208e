using ContactLists;
using ContactLists.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace CsvSync;

/// <summary>
/// Syncs a CSV file into a contact list: the list ends up holding exactly the file's contacts. With no credentials
/// configured, it runs against the emulator.
/// </summary>
public static class CsvSyncApp
{
    /// <summary>Runs the sample; returns the process exit code.</summary>
    /// <param name="args"><c>[file.csv] [--provider whippy|movio|octopush|slicktext|messengeo] [--list ID] [--dry-run]</c>.</param>
    /// <param name="console">Where to write (the terminal, or a test console).</param>
    public static async Task<int> RunAsync(string[] args, IAnsiConsole console)
    {
        var file = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            ?? Path.Combine(AppContext.BaseDirectory, "contacts.csv");
        var provider = Option(args, "--provider") ?? "whippy";
        var listId = Option(args, "--list");
        var dryRun = args.Contains("--dry-run");

        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var configured = configuration.GetSection("ContactLists").GetChildren().Any();
        await using var emulator = configured ? null : await ContactListsEmulator.StartAsync();
        await using var services = Register(configuration, emulator).BuildServiceProvider();
        var factory = services.GetRequiredService<IContactListClientFactory>();
        if (!factory.ClientNames.Contains(provider))
        {
            console.MarkupLineInterpolated($"[red]No account named '{provider}'.[/] Configured: {string.Join(", ", factory.ClientNames)}");
            return 2;
        }

        var client = factory.GetClient(provider);
        console.MarkupLineInterpolated($"Syncing [bold]{file}[/] into [bold]{client.ProviderName}[/] ({(emulator is null ? "configured account" : "emulator at " + emulator.BaseAddress)})");
        listId ??= await TargetListAsync(client, emulator, Path.GetFileNameWithoutExtension(file));

        var sync = new ContactListSync(client);
        var plan = (await sync.SyncAsync(listId, CsvContacts.ReadAsync(file), new SyncOptions { DryRun = true })).Plan;
        console.Write(PlanTable(plan));
        if (dryRun)
        {
            console.MarkupLine("[yellow]Dry run: nothing was changed.[/]");
            return 0;
        }

        SyncResult result = null!;
        await console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask($"{client.ProviderName}: {plan.Mode}", maxValue: Math.Max(1, plan.ToAdd.Count + plan.ToRemove.Count));
                long removing = 0;
                void Progress(BulkProgress p) => bar.Value = Math.Min(bar.MaxValue, removing + p.Sent + p.Rejected);
                result = await sync.SyncAsync(listId, CsvContacts.ReadAsync(file), new SyncOptions { Bulk = new BulkOptions { OnProgress = Progress } });
                removing = plan.ToAdd.Count;
                bar.Value = bar.MaxValue;
            });

        console.Write(SummaryTable(result));
        return 0;
    }

    private static IServiceCollection Register(IConfiguration configuration, ContactListsEmulator? emulator)
    {
        var services = new ServiceCollection();
        if (emulator is null)
        {
            return services.AddContactLists(configuration, b => b.AddWhippy().AddMovio().AddOctopush().AddSlickText().AddMessengeo());
        }

        return services.AddContactLists(b =>
        {
            b.AddWhippy("whippy", o => { o.BaseAddress = emulator.Whippy.BaseAddress; o.ApiKey = emulator.Whippy.ApiKey; });
            b.AddMovio("movio", o =>
            {
                o.BaseAddress = emulator.Movio.BaseAddress;
                o.TokenEndpoint = emulator.Movio.TokenEndpoint;
                o.ClientId = emulator.Movio.ClientId;
                o.ClientSecret = emulator.Movio.ClientSecret;
            });
            b.AddOctopush("octopush", o => { o.BaseAddress = emulator.Octopush.BaseAddress; o.ApiLogin = emulator.Octopush.ApiLogin; o.ApiKey = emulator.Octopush.ApiKey; });
            b.AddSlickText("slicktext", o => { o.BaseAddress = emulator.SlickText.BaseAddress; o.ApiKey = emulator.SlickText.ApiKey; });
            b.AddMessengeo("messengeo", o =>
            {
                o.BaseAddress = emulator.Messengeo.BaseAddress;
                o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
                o.ClientId = emulator.Messengeo.ClientId;
                o.ClientSecret = emulator.Messengeo.ClientSecret;
            });
        });
    }

    private static async Task<string> TargetListAsync(IContactListClient client, ContactListsEmulator? emulator, string name)
    {
        if (client.Capabilities.HasFlag(ContactListCapabilities.CreateList))
        {
            return (await client.CreateListAsync(new NewContactList(name))).Id;
        }

        // Movio lists are made in its web app: the emulator stands in for it; a real account needs --list.
        return emulator?.Movio.State.CreateList(name)
            ?? throw new InvalidOperationException($"{client.ProviderName} cannot create lists: pass --list with an existing list's id.");
    }

    private static Table PlanTable(SyncPlan plan)
    {
        var table = new Table().Title("Plan").AddColumn("").AddColumn(new TableColumn("contacts").RightAligned());
        table.AddRow("mode", plan.Mode.ToString());
        table.AddRow("read from the file", plan.SourceCount.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("already in the list", plan.Unchanged.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[green]to add[/]", plan.ToAdd.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[red]to remove[/]", plan.ToRemove.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("duplicates in the file", plan.Duplicates.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        table.AddRow("[yellow]left out (no identity)[/]", plan.Invalid.Count.ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        return table;
    }

    private static Table SummaryTable(SyncResult result)
    {
        var table = new Table().Title("Summary").AddColumn("step").AddColumn("read").AddColumn("confirmed").AddColumn("accepted for processing").AddColumn("rejected").AddColumn("not sent");
        foreach (var (step, bulk) in new[] { ("add", result.Added), ("remove", result.Removed) })
        {
            if (bulk is not null)
            {
                table.AddRow(step, bulk.Read.ToString(System.Globalization.CultureInfo.InvariantCulture), bulk.Accepted.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    bulk.AcceptedForProcessing.ToString(System.Globalization.CultureInfo.InvariantCulture), bulk.Rejected.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    bulk.NotSent.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return table;
    }

    private static string? Option(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
