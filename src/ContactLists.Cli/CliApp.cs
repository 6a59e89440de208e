using ContactLists.Cli.Commands;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli;

/// <summary>The <c>contactlists</c> command line: its commands, strict parsing, and what each failure exits with.</summary>
internal static class CliApp
{
    /// <summary>Runs the tool; returns its exit code (see <see cref="ExitCodes"/>).</summary>
    public static Task<int> RunAsync(string[] args, CliEnvironment environment)
    {
        var services = new ServiceCollection();
        services.AddSingleton(environment);
        var app = new CommandApp(new Registrar(services));
        app.Configure(config =>
        {
            config.SetApplicationName("contactlists");
            config.ConfigureConsole(environment.Console);
            // An unknown option or a typo (--dryrun) is an error before anything is sent, never ignored.
            config.Settings.StrictParsing = true;
            config.SetExceptionHandler((exception, _) => Fail(exception, environment.Console));
            config.AddCommand<SyncCommand>("sync")
                .WithDescription("Make a list hold exactly the contacts of a CSV export: plan, then send only the changes (adds, field updates, removes), remembering in the ledger what was sent. Guarded (exit 4 before anything is sent when it would remove too much), interruptible (Ctrl+C) and resumable (run it again).")
                .WithExample("sync", "customers.csv", "--account", "marketing", "--list-name", "Customers", "--region", "GB")
                .WithExample("sync", "customers.csv", "--account", "texts", "--list", "3101", "--map", "Tier=tier", "--rejects", "rejected.csv", "--json");
            config.AddCommand<PlanCommand>("plan")
                .WithDescription("The same as sync --dry-run: the whole plan (adds, removes, unchanged, duplicates, left out by reason, estimated requests and time); nothing is sent.")
                .WithExample("plan", "customers.csv", "--account", "texts", "--list-name", "Customers");
            config.AddCommand<ListsCommand>("lists").WithDescription("The account's lists: id, name, contacts.").WithExample("lists", "--account", "marketing");
            config.AddCommand<CountCommand>("count").WithDescription("How many contacts a list holds (the number alone on stdout).").WithExample("count", "--account", "marketing", "--list", "6c510dfc");
            config.AddCommand<ExportCommand>("export").WithDescription("A list's contacts as CSV (stdout, or -o FILE).").WithExample("export", "--account", "texts", "--list", "3101", "-o", "members.csv");
            config.AddCommand<CopyCommand>("copy").WithDescription("Make one list (of any provider) hold exactly the members of another.")
                .WithExample("copy", "--from", "marketing:6c510dfc", "--to", "texts:name=Customers");
            config.AddBranch("ledger", ledger =>
            {
                ledger.SetDescription("The sync ledger: what each sync sent, per list (phones and e-mails, no credential).");
                ledger.AddCommand<LedgerListCommand>("list").WithDescription("The lists the ledger knows, and how their last sync ended.").WithExample("ledger", "list");
                ledger.AddCommand<LedgerForgetCommand>("forget").WithDescription("Forget a list: its entries and last run; the next sync into it is a first sync.")
                    .WithExample("ledger", "forget", "--account", "texts", "--list", "3101");
            });
        });
        return app.RunAsync(args);
    }

    /// <summary>What a failure prints and exits with: 2 for what was wrong before anything was sent, 3 for what failed part-way.</summary>
    private static int Fail(Exception exception, IAnsiConsole console)
    {
        var (code, message) = ExitCodes.Of(exception);
        console.MarkupLineInterpolated($"[red]{message}[/]");
        return code;
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
