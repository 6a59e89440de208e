using System.ComponentModel;
using System.Globalization;
using ContactLists;
using ContactLists.Emulator;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CsvSync;

/// <summary>
/// Syncs a CSV file into a contact list: the list ends up holding exactly the file's contacts. With no credentials
/// configured, it runs against the emulator.
/// </summary>
public static class CsvSyncApp
{
    /// <summary>Exit code for a bad argument or an unusable file, reported before anything is created.</summary>
    public const int UsageError = 2;

    /// <summary>Runs the sample; returns the process exit code.</summary>
    /// <param name="args"><c>[file.csv] [--provider whippy|movio|octopush|slicktext|messengeo] [--list ID] [--dry-run]</c>.</param>
    /// <param name="console">Where to write (the terminal, or a test console).</param>
    /// <param name="emulator">An emulator to use when no credentials are configured (tests pass theirs); by default one is started.</param>
    public static Task<int> RunAsync(string[] args, IAnsiConsole console, ContactListsEmulator? emulator = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(new EmulatorChoice(emulator));
        var app = new CommandApp<SyncCommand>(new Registrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("csvsync");
            config.ConfigureConsole(console);
            config.AddExample("customers.csv", "--provider", "whippy", "--dry-run");
        });
        return app.RunAsync(args);
    }

    /// <summary>The emulator a test handed in, if any.</summary>
    internal sealed record EmulatorChoice(ContactListsEmulator? Emulator);

    /// <summary>The command line.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The CSV file; the bundled contacts.csv when left out.</summary>
        [CommandArgument(0, "[file]")]
        [Description("The CSV file to sync (a header row, then one contact per row). Default: the bundled contacts.csv.")]
        public string? File { get; init; }

        /// <summary>The account to sync into.</summary>
        [CommandOption("-p|--provider <NAME>")]
        [Description("The configured account to sync into (with the emulator: whippy, movio, octopush, slicktext or messengeo).")]
        [DefaultValue("whippy")]
        public string Provider { get; init; } = "whippy";

        /// <summary>An existing list; by default a new list named after the file is created.</summary>
        [CommandOption("-l|--list <ID>")]
        [Description("An existing list's id. Default: a new list named after the file (Movio cannot create lists: pass one).")]
        public string? List { get; init; }

        /// <summary>Show the plan; change nothing.</summary>
        [CommandOption("-n|--dry-run")]
        [Description("Print what would change, and change nothing (no list is created).")]
        public bool DryRun { get; init; }
    }

    /// <summary>The sync itself.</summary>
    internal sealed class SyncCommand(IAnsiConsole console, EmulatorChoice choice) : AsyncCommand<Settings>
    {
        public override async Task<int> ExecuteAsync(CommandContext context, Settings settings, CancellationToken cancellationToken)
        {
            // Everything that can be known from the arguments is checked before any account is touched.
            var file = settings.File ?? Path.Combine(AppContext.BaseDirectory, "contacts.csv");
            if (!file.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
            {
                console.MarkupLineInterpolated($"[red]'{file}' is not a .csv file.[/] Give the path of a CSV file with a header row.");
                return UsageError;
            }

            if (!System.IO.File.Exists(file))
            {
                console.MarkupLineInterpolated($"[red]File not found: {Path.GetFullPath(file)}[/]");
                return UsageError;
            }

            var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var configured = configuration.GetSection("ContactLists").GetChildren().Any();
            var owned = configured || choice.Emulator is not null ? null : await ContactListsEmulator.StartAsync(cancellationToken: cancellationToken);
            await using var _ = owned;
            var emulator = configured ? null : choice.Emulator ?? owned;
            await using var services = Register(configuration, emulator).BuildServiceProvider();
            var factory = services.GetRequiredService<IContactListClientFactory>();
            if (!factory.ClientNames.Contains(settings.Provider))
            {
                console.MarkupLineInterpolated($"[red]No account named '{settings.Provider}'.[/] Configured: {string.Join(", ", factory.ClientNames)}");
                return UsageError;
            }

            var client = factory.GetClient(settings.Provider);
            if (await CheckIdentityColumnsAsync(file, client, cancellationToken) is { } problem)
            {
                console.MarkupLineInterpolated($"[red]{problem}[/]");
                return UsageError;
            }

            console.MarkupLineInterpolated($"Syncing [bold]{file}[/] into [bold]{client.ProviderName}[/] ({(emulator is null ? "configured account" : "emulator at " + emulator.BaseAddress)})");
            var sync = new ContactListSync(client);
            if (settings.List is null && settings.DryRun)
            {
                // Nothing exists yet to compare with: the new list would receive every contact with an identity.
                var (read, usable) = await CountAsync(file, client, cancellationToken);
                console.MarkupLineInterpolated($"A new list '{Path.GetFileNameWithoutExtension(file)}' would be created, and {usable:N0} of the {read:N0} contacts read added.");
                console.MarkupLine("[yellow]Dry run: nothing was changed.[/]");
                return 0;
            }

            var listId = settings.List ?? await TargetListAsync(client, emulator, Path.GetFileNameWithoutExtension(file), cancellationToken);
            var plan = (await sync.SyncAsync(listId, CsvContacts.ReadAsync(file, cancellationToken), new SyncOptions { DryRun = true }, cancellationToken)).Plan;
            console.Write(PlanTable(plan));
            if (settings.DryRun)
            {
                console.MarkupLine("[yellow]Dry run: nothing was changed.[/]");
                return 0;
            }

            var total = Math.Max(1, plan.ToAdd.Count + plan.ToRemove.Count);
            SyncResult result = null!;
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async progress =>
                {
                    var bar = progress.AddTask($"{client.ProviderName}: {plan.Mode}", maxValue: total);
                    void Report(BulkProgress p) => bar.Value = Math.Min(bar.MaxValue, p.Sent + p.Rejected);
                    result = await sync.SyncAsync(listId, CsvContacts.ReadAsync(file, cancellationToken), new SyncOptions { Bulk = new BulkOptions { OnProgress = Report } }, cancellationToken);
                    bar.Value = bar.MaxValue;
                });

            console.Write(SummaryTable(result));
            // A terminal shows the bar; redirected output (a log, CI) gets no bar, so the end is stated in words, last.
            console.MarkupLineInterpolated($"100% done: {plan.ToAdd.Count:N0} to add, {plan.ToRemove.Count:N0} to remove.");
            return 0;
        }
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

    /// <summary>The columns a contact needs for this provider, by its identity: a phone, an e-mail, or (matched by the provider) either.</summary>
    private static (string What, string[] Headers) ExpectedIdentity(IContactListClient client) => client.Identity switch
    {
        ContactIdentity.Phone => ("a phone number", CsvContacts.PhoneHeaders.ToArray()),
        ContactIdentity.Email => ("an e-mail address", CsvContacts.EmailHeaders.ToArray()),
        _ => ("a phone number or an e-mail address", CsvContacts.PhoneHeaders.Concat(CsvContacts.EmailHeaders).ToArray()),
    };

    private static bool HasIdentity(Contact contact, ContactIdentity identity) => identity switch
    {
        ContactIdentity.Phone => contact.Phone is not null,
        ContactIdentity.Email => contact.Email is not null,
        _ => contact.Phone is not null || contact.Email is not null,
    };

    /// <summary>Says why the file cannot be synced into this provider (no identity column, or no row with one), or <see langword="null"/>.</summary>
    private static async Task<string?> CheckIdentityColumnsAsync(string file, IContactListClient client, CancellationToken cancellationToken)
    {
        var (what, expected) = ExpectedIdentity(client);
        var headers = await CsvContacts.ReadHeadersAsync(file, cancellationToken);
        var examples = string.Join(", ", expected.Take(6));
        if (!headers.Any(h => expected.Contains(CsvContacts.Normalize(h))))
        {
            return $"{client.ProviderName} identifies contacts by {what}, but no column of {Path.GetFileName(file)} holds one. Expected a column such as {examples} (case, spaces and punctuation do not matter); found: {string.Join(", ", headers)}.";
        }

        var (read, usable) = await CountAsync(file, client, cancellationToken);
        return usable == 0
            ? $"None of the {read:N0} rows of {Path.GetFileName(file)} has {what} (expected in a column such as {examples}); nothing to sync."
            : null;
    }

    private static async Task<(long Read, long Usable)> CountAsync(string file, IContactListClient client, CancellationToken cancellationToken)
    {
        long read = 0, usable = 0;
        await foreach (var contact in CsvContacts.ReadAsync(file, cancellationToken))
        {
            read++;
            usable += HasIdentity(contact, client.Identity) ? 1 : 0;
        }

        return (read, usable);
    }

    private static async Task<string> TargetListAsync(IContactListClient client, ContactListsEmulator? emulator, string name, CancellationToken cancellationToken)
    {
        if (client.Capabilities.HasFlag(ContactListCapabilities.CreateList))
        {
            return (await client.CreateListAsync(new NewContactList(name), cancellationToken)).Id;
        }

        // Movio lists are made in its web app: the emulator stands in for it; a real account needs --list.
        return emulator?.Movio.State.CreateList(name)
            ?? throw new InvalidOperationException($"{client.ProviderName} cannot create lists: pass --list with an existing list's id.");
    }

    private static Table PlanTable(SyncPlan plan)
    {
        var table = new Table().Title("Plan").AddColumn("").AddColumn(new TableColumn("contacts").RightAligned());
        table.AddRow("mode", plan.Mode.ToString());
        table.AddRow("read from the file", plan.SourceCount.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("already in the list", plan.Unchanged.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[green]to add[/]", plan.ToAdd.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[red]to remove[/]", plan.ToRemove.Count.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("duplicates in the file", plan.Duplicates.ToString("N0", CultureInfo.InvariantCulture));
        table.AddRow("[yellow]left out (no identity)[/]", plan.Invalid.Count.ToString("N0", CultureInfo.InvariantCulture));
        return table;
    }

    private static Table SummaryTable(SyncResult result)
    {
        var table = new Table().Title("Summary").AddColumn("step").AddColumn("read").AddColumn("confirmed").AddColumn("accepted for processing").AddColumn("rejected").AddColumn("not sent");
        foreach (var (step, bulk) in new[] { ("add", result.Added), ("remove", result.Removed) })
        {
            if (bulk is not null)
            {
                table.AddRow(step, bulk.Read.ToString(CultureInfo.InvariantCulture), bulk.Accepted.ToString(CultureInfo.InvariantCulture),
                    bulk.AcceptedForProcessing.ToString(CultureInfo.InvariantCulture), bulk.Rejected.Count.ToString(CultureInfo.InvariantCulture),
                    bulk.NotSent.Count.ToString(CultureInfo.InvariantCulture));
            }
        }

        return table;
    }

    /// <summary>Spectre.Console.Cli's type registrar over Microsoft.Extensions.DependencyInjection.</summary>
    private sealed class Registrar(IServiceCollection services) : ITypeRegistrar
    {
        public ITypeResolver Build() => new Resolver(services.BuildServiceProvider());

        public void Register(Type service, Type implementation) => services.AddSingleton(service, implementation);

        public void RegisterInstance(Type service, object implementation) => services.AddSingleton(service, implementation);

        public void RegisterLazy(Type service, Func<object> factory) => services.AddSingleton(service, _ => factory());
    }

    private sealed class Resolver(ServiceProvider provider) : ITypeResolver, IDisposable
    {
        public object? Resolve(Type? type) => type is null ? null : provider.GetService(type);

        public void Dispose() => provider.Dispose();
    }
}
