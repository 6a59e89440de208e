using System.Net;
using ContactLists.Emulator.Providers.Messengeo;
using ContactLists.Emulator.Providers.Movio;
using ContactLists.Emulator.Providers.Octopush;
using ContactLists.Emulator.Providers.SlickText;
using ContactLists.Emulator.Providers.Whippy;
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
public sealed class ContactListsEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ContactListsEmulator(WebApplication app, Uri baseAddress, EmulatorOptions options, WhippyEmulator whippy, MovioEmulator movio, OctopushEmulator octopush, SlickTextEmulator slickText, MessengeoEmulator messengeo, EmulatorRequestLog log)
    {
        _app = app;
        BaseAddress = baseAddress;
        Options = options;
        Log = log;
        Whippy = new EmulatedProvider<WhippyEmulator>(new Uri(baseAddress, WhippyEmulator.Prefix), whippy.ApiKey, whippy);
        Octopush = new EmulatedOctopush(new Uri(baseAddress, OctopushEmulator.Prefix), octopush);
        Messengeo = new EmulatedMessengeo(new Uri(baseAddress, MessengeoEmulator.Prefix), new Uri(baseAddress, MessengeoEmulator.Prefix + "/token"), messengeo);
        SlickText = new EmulatedProvider<SlickTextEmulator>(new Uri(baseAddress, SlickTextEmulator.Prefix), slickText.ApiKey, slickText);
        Movio = new EmulatedMovio(new Uri(baseAddress, MovioEmulator.Prefix + "/api"), new Uri(baseAddress, MovioEmulator.Prefix + "/oauth/token"), movio);
    }

    /// <summary>The emulator's root address, such as <c>http://127.0.0.1:5123/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The settings it runs with.</summary>
    public EmulatorOptions Options { get; }

    /// <summary>Every request answered, for tests.</summary>
    public EmulatorRequestLog Log { get; }

    /// <summary>The Whippy module: its base address (use as <c>WhippyOptions.BaseAddress</c>), test API key and state.</summary>
    public EmulatedProvider<WhippyEmulator> Whippy { get; }

    /// <summary>
    /// The Movio module: its API address and token endpoint (use as <c>MovioOptions.BaseAddress</c> and
    /// <c>MovioOptions.TokenEndpoint</c>), client credentials, and state (create lists with <c>State.CreateList</c>).
    /// </summary>
    public EmulatedMovio Movio { get; }

    /// <summary>The Octopush module: its base address (use as <c>OctopushOptions.BaseAddress</c>), test login and key, and state.</summary>
    public EmulatedOctopush Octopush { get; }

    /// <summary>The SlickText module: its base address (use as <c>SlickTextOptions.BaseAddress</c>), test API key and state.</summary>
    public EmulatedProvider<SlickTextEmulator> SlickText { get; }

    /// <summary>The Messengeo module: its base address and token endpoint (use as <c>MessengeoOptions.BaseAddress</c> and <c>TokenEndpoint</c>), client credentials and state.</summary>
    public EmulatedMessengeo Messengeo { get; }

    /// <summary>Starts an emulator on loopback.</summary>
    /// <param name="options">Settings; <see langword="null"/> for the defaults (a free port, documented rate limits).</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<ContactListsEmulator> StartAsync(EmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new EmulatorOptions();
        if (options.WhippyMembershipChangeStatus is not (200 or 202))
        {
            throw new ArgumentException($"WhippyMembershipChangeStatus must be 200 or 202, not {options.WhippyMembershipChangeStatus}.", nameof(options));
        }

        if (options.OctopushDuplicateListStatus is not (400 or 409 or 201))
        {
            throw new ArgumentException($"OctopushDuplicateListStatus must be 400, 409 or 201, not {options.OctopushDuplicateListStatus}.", nameof(options));
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        var app = builder.Build();
        var injector = new FaultInjector(options.Faults, options.TimeProvider);
        app.Use(injector.InvokeAsync);
        var log = new EmulatorRequestLog();
        var whippy = new WhippyEmulator(options, log);
        whippy.Map(app);
        var movio = new MovioEmulator(options, log);
        movio.Map(app);
        var octopush = new OctopushEmulator(options, log);
        octopush.Map(app);
        var slickText = new SlickTextEmulator(options, log);
        slickText.Map(app);
        var messengeo = new MessengeoEmulator(options, log);
        messengeo.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/') + "/");
        // The Movio module checks the OAuth2 audience against its API address, known once Kestrel has a port.
        movio.Audience = new Uri(address, MovioEmulator.Prefix + "/api").ToString().TrimEnd('/');
        messengeo.BaseAddress = new Uri(address, MessengeoEmulator.Prefix + "/");
        return new ContactListsEmulator(app, address, options, whippy, movio, octopush, slickText, messengeo, log);
    }

    /// <summary>Stops the emulator.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>The emulator's Movio module.</summary>
/// <param name="BaseAddress">Use as <c>MovioOptions.BaseAddress</c> (the audience is the same address).</param>
/// <param name="TokenEndpoint">Use as <c>MovioOptions.TokenEndpoint</c>.</param>
/// <param name="State">The module itself: client credentials, lists, members.</param>
public sealed record EmulatedMovio(Uri BaseAddress, Uri TokenEndpoint, MovioEmulator State)
{
    /// <summary>The client id the module accepts.</summary>
    public string ClientId => State.ClientId;

    /// <summary>The client secret the module accepts.</summary>
    public string ClientSecret => State.ClientSecret;
}

/// <summary>The emulator's Messengeo module.</summary>
/// <param name="BaseAddress">Use as <c>MessengeoOptions.BaseAddress</c>.</param>
/// <param name="TokenEndpoint">Use as <c>MessengeoOptions.TokenEndpoint</c>.</param>
/// <param name="State">The module itself.</param>
public sealed record EmulatedMessengeo(Uri BaseAddress, Uri TokenEndpoint, MessengeoEmulator State)
{
    /// <summary>The client id the module accepts.</summary>
    public string ClientId => State.ClientId;

    /// <summary>The client secret the module accepts.</summary>
    public string ClientSecret => State.ClientSecret;
}

/// <summary>The emulator's Octopush module.</summary>
/// <param name="BaseAddress">Use as <c>OctopushOptions.BaseAddress</c>.</param>
/// <param name="State">The module itself: credentials, lists, contacts.</param>
public sealed record EmulatedOctopush(Uri BaseAddress, OctopushEmulator State)
{
    /// <summary>The <c>api-login</c> the module accepts.</summary>
    public string ApiLogin => State.ApiLogin;

    /// <summary>The <c>api-key</c> the module accepts.</summary>
    public string ApiKey => State.ApiKey;
}

/// <summary>One provider module of the emulator.</summary>
/// <typeparam name="TState">The module, for inspecting its state.</typeparam>
/// <param name="BaseAddress">Use as the provider options' <c>BaseAddress</c>.</param>
/// <param name="ApiKey">The test credential the module accepts.</param>
/// <param name="State">The module itself.</param>
public sealed record EmulatedProvider<TState>(Uri BaseAddress, string ApiKey, TState State);
