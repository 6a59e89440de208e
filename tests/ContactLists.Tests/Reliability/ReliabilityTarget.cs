using System.Globalization;
using System.Text.Json.Serialization;
using ContactLists.Http;
using ContactLists.Emulator;
using Microsoft.Extensions.Http.Resilience;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// One provider as the reliability suite drives it: how to register a client against the emulator, what a valid
/// contact looks like, and how to read a list's members straight from the emulator's state (the truth a result is
/// checked against).
/// </summary>
public abstract class ReliabilityTarget
{
    public const string ClientName = "reliability";

    /// <summary>
    /// Every provider, found as the subclasses of this type in the test assembly (one per provider, in the provider's
    /// own test folder, Contract/{Provider}/): the one list of providers the shared suites iterate.
    /// </summary>
    public static IReadOnlyDictionary<string, ReliabilityTarget> All { get; } = typeof(ReliabilityTarget).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(ReliabilityTarget)) && !t.IsAbstract)
        .Select(t => (ReliabilityTarget)Activator.CreateInstance(t)!)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToDictionary(t => t.Name);

    public static TheoryData<string> Names => [.. All.Keys];

    public abstract string Name { get; }

    /// <summary>The provider's Refit interface.</summary>
    public abstract Type Api { get; }

    /// <summary>The source-generated JSON context its wire types must be in.</summary>
    public abstract JsonSerializerContext JsonContext { get; }

    /// <summary>The provider's HTTP profile (which operations may be repeated).</summary>
    internal abstract ProviderHttpProfile Profile { get; }

    /// <summary>Whether the provider documents a cheap authenticated read the health check probes with (else it reports the account as not probed).</summary>
    public virtual bool HealthProbe => true;

    /// <summary>How many contacts the under-faults run sends (fewer where every contact costs requests of its own).</summary>
    public virtual int ContactsUnderFaults => 20_000;

    /// <summary>Registers a client of this provider against <paramref name="emulator"/> under <paramref name="name"/>.</summary>
    public abstract ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName);

    public abstract Contact Contact(int i);

    /// <summary>What a member is compared by: the identity the emulator holds.</summary>
    public abstract string Identity(Contact contact);

    /// <summary>The members of a list, straight from the emulator (duplicates kept, so that "exactly once" can be checked).</summary>
    public abstract IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId);

    /// <summary>The contact with its name changed, as a newer export would have it.</summary>
    public virtual Contact Renamed(Contact contact, string name) => contact with { FirstName = name };

    /// <summary>The name the provider holds for a member of a list, straight from the emulator (<see langword="null"/> when none).</summary>
    public abstract string? HeldName(ContactListsEmulator emulator, string listId, Contact contact);

    /// <summary>How many contacts the account holds, for providers whose contacts live outside lists (created by the SDK before it adds them); else <see langword="null"/>.</summary>
    public virtual int? AccountContacts(ContactListsEmulator emulator) => null;

    /// <summary>The credential that must never appear in an exception's message or <c>ToString()</c>.</summary>
    public abstract string Secret(ContactListsEmulator emulator);

    /// <summary>A new empty list (through the client, or in the emulator for providers whose lists are made elsewhere).</summary>
    public virtual async Task<string> CreateListAsync(IContactListClient client, ContactListsEmulator emulator, string name)
        => (await client.CreateListAsync(new NewContactList(name))).Id;

    /// <summary>
    /// Each paged read of this provider (issue 31), run against a list of 5 members in an account of a few lists, with
    /// pages of 2 (<see cref="SmallPages"/>); none for providers that read nothing in pages.
    /// </summary>
    public virtual IReadOnlyList<(string Read, Func<IContactListClient, string, Task> Run)> PagedReads => [];

    /// <summary>Sets this provider's page sizes to 2, so that a few items take several pages.</summary>
    public virtual void SmallPages(IServiceCollection services, string name = ClientName) { }

    public override string ToString() => Name;

    /// <summary>
    /// A service provider with one client of this provider against <paramref name="emulator"/>, on <paramref name="clock"/>,
    /// with timeouts long in virtual time (so that real scheduling never trips them) unless <paramref name="resilience"/> says otherwise.
    /// </summary>
    public (ServiceProvider Services, IContactListClient Client) Build(ContactListsEmulator emulator, TimeProvider clock, Action<HttpStandardResilienceOptions>? resilience = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddContactLists(b => Register(b, emulator).ConfigureResilience(r =>
        {
            r.AttemptTimeout.Timeout = TimeSpan.FromMinutes(2);
            r.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(30);
            r.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(5);
            resilience?.Invoke(r);
        }));
        var provider = services.BuildServiceProvider();
        return (provider, provider.GetRequiredService<IContactListClientFactory>().GetClient(ClientName));
    }

    /// <summary>
    /// An emulator with limits off on <paramref name="clock"/> (with <paramref name="faults"/>, when given) and a client of
    /// this provider against it, disposed together.
    /// </summary>
    public async Task<TargetRun> StartAsync(TimeProvider clock, EmulatorFaults? faults = null, Action<HttpStandardResilienceOptions>? resilience = null)
    {
        var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, TimeProvider = clock, Faults = faults ?? new() });
        var (services, client) = Build(emulator, clock, resilience);
        return new TargetRun(emulator, services, client);
    }

    protected static string UsPhone(int i) => string.Create(CultureInfo.InvariantCulture, $"+1415{200 + (i / 10000):D3}{i % 10000:D4}");

    protected static string FrenchMobile(int i) => string.Create(CultureInfo.InvariantCulture, $"+336{i:D8}");
}

/// <summary>An emulator and a client against it, from <see cref="ReliabilityTarget.StartAsync"/>.</summary>
public sealed class TargetRun(ContactListsEmulator emulator, ServiceProvider services, IContactListClient client) : IAsyncDisposable
{
    public ContactListsEmulator Emulator { get; } = emulator;

    public IContactListClient Client { get; } = client;

    public async ValueTask DisposeAsync()
    {
        await services.DisposeAsync();
        await Emulator.DisposeAsync();
    }
}
