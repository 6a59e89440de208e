using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ContactLists.Emulator;

/// <summary>
/// A stateful, in-memory emulator of the providers' contact-list APIs, served by Kestrel on loopback.
/// Start one per test class (or per sample run); each has its own state and port.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await ContactListsEmulator.StartAsync();
/// services.AddContactLists(b =&gt; b.AddWhippy("test", o =&gt;
/// {
///     o.BaseAddress = emulator.Whippy.BaseAddress;
///     o.ApiKey = emulator.Whippy.ApiKey;
/// }));
/// </code>
/// </example>
public sealed partial class ContactListsEmulator : IAsyncDisposable
{
    // Every provider module in this assembly, in a stable order (see IEmulatorModule).
    private static readonly Type[] ModuleTypes = typeof(ContactListsEmulator).Assembly.GetTypes()
        .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IEmulatorModule).IsAssignableFrom(t))
        .OrderBy(t => t.FullName, StringComparer.Ordinal)
        .ToArray();

    private readonly WebApplication _app;
    private readonly Dictionary<Type, IEmulatorModule> _modules;

    private ContactListsEmulator(WebApplication app, Uri baseAddress, EmulatorOptions options, Dictionary<Type, IEmulatorModule> modules, EmulatorRequestLog log, IReadOnlyList<string> seeded)
    {
        _app = app;
        _modules = modules;
        BaseAddress = baseAddress;
        Options = options;
        Log = log;
        Seeded = seeded;
    }

    /// <summary>What each module seeded (<see cref="EmulatorOptions.SeedContacts"/>), in a few words each.</summary>
    public IReadOnlyList<string> Seeded { get; }

    /// <summary>The emulator's root address, such as <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The settings it runs with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Every request answered, for tests.</summary>
    public EmulatorRequestLog Log { get; }

    /// <summary>The providers emulated, as the SDK names them (<c>Whippy</c>, …), in a stable order.</summary>
    public IReadOnlyList<string> Providers => [.. _modules.Values.Select(m => m.Provider)];

    /// <summary>
    /// What a client of <paramref name="provider"/> sets to use this emulator: the SDK's option names (such as
    /// <c>BaseAddress</c>, <c>ApiKey</c>, <c>TokenEndpoint</c>) and their values, as each module describes itself.
    /// </summary>
    /// <param name="provider">One of <see cref="Providers"/> (case-insensitive).</param>
    public IReadOnlyDictionary<string, string> ClientSettings(string provider)
    {
        var module = _modules.Values.FirstOrDefault(m => string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"The emulator has no module for '{provider}'; it emulates {string.Join(", ", Providers)}.", nameof(provider));
        return module.ClientSettings(BaseAddress).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>
    /// Configuration for one account of every emulated provider, as the SDK binds it:
    /// <c>ContactLists:{Provider}:{account}:{Option}</c>. Add it to a configuration (for example with
    /// <c>AddInMemoryCollection</c>) and register the providers from configuration; with <c>:</c> replaced by <c>__</c>
    /// the keys are environment variables.
    /// </summary>
    /// <param name="accountName">The account name per provider; by default the provider's name in lower case.</param>
    public IReadOnlyDictionary<string, string?> ClientConfiguration(Func<string, string>? accountName = null)
    {
        var configuration = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var module in _modules.Values)
        {
            var account = accountName?.Invoke(module.Provider) ?? module.Provider.ToLowerInvariant();
            foreach (var (setting, value) in module.ClientSettings(BaseAddress))
            {
                configuration[$"ContactLists:{module.Provider}:{account}:{setting}"] = value;
            }
        }

        return configuration;
    }

    /// <summary>
    /// Creates a list of <paramref name="provider"/> the way the provider's own app does, where its API cannot (a Movio
    /// list is made in Movio EQ): what a person would do before syncing into it. Returns the list's id, or
    /// <see langword="null"/> for a provider whose API creates lists itself.
    /// </summary>
    /// <param name="provider">One of <see cref="Providers"/> (case-insensitive).</param>
    /// <param name="name">The list's name.</param>
    public string? CreateListInApp(string provider, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var module = _modules.Values.FirstOrDefault(m => string.Equals(m.Provider, provider, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"The emulator has no module for '{provider}'; it emulates {string.Join(", ", Providers)}.", nameof(provider));
        return module.CreateListInApp(name);
    }

    /// <summary>The running module of type <typeparamref name="TModule"/> (each provider folder adds its own typed property to this class).</summary>
    internal TModule Module<TModule>()
        where TModule : IEmulatorModule
        => (TModule)_modules[typeof(TModule)];

    /// <summary>Starts an emulator on loopback.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults (a free port, documented rate limits).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ContactListsEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        var log = new EmulatorRequestLog();
        // Modules check their own settings in their constructors, before anything listens.
        var modules = ModuleTypes.ToDictionary(t => t, t => Create(t, options, log));
        ArgumentOutOfRangeException.ThrowIfNegative(options.SeedContacts, nameof(options));
        var seeded = options.SeedContacts > 0
            ? modules.Values.Select(m => m.Seed(options.SeedContacts)).OfType<string>().ToArray()
            : [];

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The emulator runs inside someone else's process (a test host, a tool, a sample): it must never take over
        // that process's Ctrl+C and SIGTERM, as the host's default console lifetime would.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, HostOwnedLifetime>();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port, listen => listen.Use(ConnectionFaults.Middleware(options.Faults))));
        var app = builder.Build();
        var injector = new FaultInjector(options.Faults, options.TimeProvider);
        app.Use(injector.InvokeAsync);
        foreach (var module in modules.Values)
        {
            module.Map(app);
        }

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        foreach (var module in modules.Values)
        {
            module.OnStarted(address);
        }

        return new ContactListsEmulator(app, address, options, modules, log, seeded);
    }

    private static IEmulatorModule Create(Type type, EmulatorOptions options, EmulatorRequestLog log)
    {
        try
        {
            return (IEmulatorModule)Activator.CreateInstance(type, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic, null, [options, log], null)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            // A module's refusal of its settings surfaces as itself, not wrapped.
            ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }

    /// <summary>Stops the emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>One provider module of the emulator.</summary>
/// <typeparam name="TState">The module, for inspecting its state.</typeparam>
/// <param name="BaseAddress">Use as the provider options' <c>BaseAddress</c>.</param>
/// <param name="ApiKey">The test credential the module accepts.</param>
/// <param name="State">The module itself.</param>
public sealed record EmulatedProvider<TState>(Uri BaseAddress, string ApiKey, TState State);

/// <summary>A lifetime that leaves signals to the process that hosts the emulator: starting and stopping are the emulator's own calls.</summary>
internal sealed class HostOwnedLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
