using ContactLists.Emulator;
using ContactLists.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ContactLists.Cli;

/// <summary>
/// The accounts the tool can use, from configuration exactly as the SDK binds it (<c>ContactLists:{Provider}:{name}</c>
/// in <c>appsettings.json</c> in the working directory, environment variables such as
/// <c>ContactLists__Whippy__marketing__ApiKey</c>, and user secrets), or, with <c>--emulator</c>, one account per
/// provider (whippy, movio, octopush, slicktext, messengeo) against an emulator started in the process; and the sync
/// ledger: on Redis when <c>ContactLists:Ledger:Redis</c> holds a connection string, else a SQLite file
/// (<c>--ledger</c>, by default <c>ledger.db</c> in the user's data folder), or in memory with <c>--emulator</c> (whose
/// lists live no longer than the command).
/// </summary>
internal sealed class Accounts : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private Accounts(ServiceProvider services, ContactListsEmulator? emulator)
    {
        _services = services;
        Emulator = emulator;
    }

    /// <summary>The in-process emulator, with <c>--emulator</c>.</summary>
    public ContactListsEmulator? Emulator { get; }

    /// <summary>The names of the configured accounts.</summary>
    public IReadOnlyCollection<string> Names => _services.GetRequiredService<IContactListClientFactory>().ClientNames;

    /// <summary>The sync ledger.</summary>
    public ISyncLedger Ledger => _services.GetRequiredService<ISyncLedger>();

    /// <summary>Where the ledger is, in words: its file, Redis, or memory.</summary>
    public string LedgerDescription { get; private set; } = "memory (lost when the command ends)";

    /// <summary>Reads the configuration (or starts the emulator) and registers every account found, and the ledger.</summary>
    /// <param name="environment">Where the tool reads and writes.</param>
    /// <param name="emulator">Use an emulator in the process instead of configured accounts.</param>
    /// <param name="ledgerPath">The ledger's file (<c>--ledger</c>); <see langword="null"/>: the default.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<Accounts> OpenAsync(CliEnvironment environment, bool emulator, string? ledgerPath, CancellationToken cancellationToken)
    {
        var services = new ServiceCollection();
        if (emulator)
        {
            // Limits off, and no pacing: the emulator's own state is lost at exit anyway; this is for trying the tool.
            var started = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off }, cancellationToken).ConfigureAwait(false);
            // One account per provider, named after it, configured as a user would (from what each module says a client sets).
            var settings = new Dictionary<string, string?>(started.ClientConfiguration());
            foreach (var provider in started.Providers)
            {
                settings[$"ContactLists:{provider}:{provider.ToLowerInvariant()}:EnablePacing"] = "false";
            }

            // The emulator's lists live no longer than the command: so does its ledger (the default, in memory).
            RegisterConfigured(services, new ConfigurationBuilder().AddInMemoryCollection(settings).Build(), _ => { });
            return new Accounts(services.BuildServiceProvider(), started);
        }

        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(environment.WorkingDirectory, "appsettings.json"), optional: true)
            .AddUserSecrets(typeof(Accounts).Assembly, optional: true)
            .Add(EnvironmentSource(environment))
            .Build();
        string description;
        Action<ContactListsBuilder> ledger;
        if (configuration["ContactLists:Ledger:Redis"] is { Length: > 0 } redis && ledgerPath is null)
        {
            description = "Redis (ContactLists:Ledger:Redis)";
            ledger = b => b.UseRedisSyncLedger(redis);
        }
        else
        {
            var path = environment.FullPath(ledgerPath ?? Path.Combine(environment.DataDirectory, "ledger.db"));
            description = path;
            ledger = b => b.UseSqliteSyncLedger(path);
        }

        RegisterConfigured(services, configuration, ledger);
        return new Accounts(services.BuildServiceProvider(), null) { LedgerDescription = description };
    }

    /// <summary>Registers every account configured under each provider's section, as the SDK binds them, and the ledger.</summary>
    private static void RegisterConfigured(ServiceCollection services, IConfiguration configuration, Action<ContactListsBuilder> ledger)
    {
        var section = configuration.GetSection("ContactLists");
        services.AddContactLists(configuration, b =>
        {
            ledger(b);
            // Every account configured under each provider's section, as the SDK binds them.
            foreach (var provider in section.GetChildren().Select(p => p.Key))
            {
                if (FromConfiguration.TryGetValue(provider, out var register))
                {
                    register(b);
                }
            }
        });
    }

    /// <summary>
    /// Each provider's "every account in configuration" registration, <c>Add{Provider}(ContactListsBuilder)</c>, by
    /// provider name: found in the SDK (each provider folder declares one in its <c>{Provider}ContactListsBuilderExtensions</c>),
    /// so that the tool lists no provider by hand.
    /// </summary>
    private static readonly Dictionary<string, Func<ContactListsBuilder, ContactListsBuilder>> FromConfiguration =
        typeof(ContactListsBuilder).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith(ExtensionsSuffix, StringComparison.Ordinal))
            .Select(t => (Provider: t.Name[..^ExtensionsSuffix.Length], Method: t.GetMethod("Add" + t.Name[..^ExtensionsSuffix.Length], [typeof(ContactListsBuilder)])))
            .Where(p => p.Method?.ReturnType == typeof(ContactListsBuilder))
            .ToDictionary(p => p.Provider, p => p.Method!.CreateDelegate<Func<ContactListsBuilder, ContactListsBuilder>>(), StringComparer.OrdinalIgnoreCase);

    private const string ExtensionsSuffix = "ContactListsBuilderExtensions";

    private static IConfigurationSource EnvironmentSource(CliEnvironment environment)
    {
        if (environment.EnvironmentVariables is null)
        {
            return new Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource();
        }

        // The same mapping as environment variables: '__' separates sections.
        return new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource
        {
            InitialData = environment.EnvironmentVariables.Select(v => KeyValuePair.Create(v.Key.Replace("__", ":", StringComparison.Ordinal), v.Value)),
        };
    }

    /// <summary>The client of <paramref name="name"/>; its settings are validated here, naming any that is wrong.</summary>
    /// <exception cref="CliUsageException">No such account, or its settings are invalid.</exception>
    public IContactListClient Client(string? name)
    {
        var names = Names;
        if (name is null)
        {
            throw new CliUsageException(names.Count == 0
                ? "No account is configured. Add one under ContactLists:{Provider}:{name} in appsettings.json or environment variables (ContactLists__Whippy__marketing__ApiKey=...), or use --emulator."
                : $"Say which account with --account: {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
        }

        if (!names.Contains(name))
        {
            throw new CliUsageException(names.Count == 0
                ? $"No account named '{name}': none is configured. Add one under ContactLists:{{Provider}}:{name} in appsettings.json or environment variables, or use --emulator."
                : $"No account named '{name}'. Configured: {string.Join(", ", names.Order(StringComparer.Ordinal))}.");
        }

        try
        {
            return _services.GetRequiredService<IContactListClientFactory>().GetClient(name);
        }
        catch (OptionsValidationException invalid)
        {
            throw new CliUsageException($"Account '{name}' is not configured right: {string.Join(" ", invalid.Failures)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync().ConfigureAwait(false);
        if (Emulator is not null)
        {
            await Emulator.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A usage or input error found before anything was sent: printed, and the tool exits 2.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
