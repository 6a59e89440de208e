using System.Globalization;
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

    public static IReadOnlyDictionary<string, ReliabilityTarget> All { get; } = new ReliabilityTarget[]
    {
        new WhippyTarget(), new MovioTarget(), new OctopushTarget(), new SlickTextTarget(), new MessengeoTarget(),
    }.ToDictionary(t => t.Name);

    public static TheoryData<string> Names => [.. All.Keys];

    public abstract string Name { get; }

    /// <summary>Registers a client of this provider against <paramref name="emulator"/> under <paramref name="name"/>.</summary>
    public abstract ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName);

    public abstract Contact Contact(int i);

    /// <summary>What a member is compared by: the identity the emulator holds.</summary>
    public abstract string Identity(Contact contact);

    /// <summary>The members of a list, straight from the emulator (duplicates kept, so that "exactly once" can be checked).</summary>
    public abstract IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId);

    /// <summary>How many contacts the account holds, for providers whose contacts live outside lists (created by the SDK before it adds them); else <see langword="null"/>.</summary>
    public virtual int? AccountContacts(ContactListsEmulator emulator) => null;

    /// <summary>The credential that must never appear in an exception's message or <c>ToString()</c>.</summary>
    public abstract string Secret(ContactListsEmulator emulator);

    /// <summary>A new empty list (through the client, or in the emulator for providers whose lists are made elsewhere).</summary>
    public virtual async Task<string> CreateListAsync(IContactListClient client, ContactListsEmulator emulator, string name)
        => (await client.CreateListAsync(new NewContactList(name))).Id;

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

    private static string UsPhone(int i) => string.Create(CultureInfo.InvariantCulture, $"+1415{200 + (i / 10000):D3}{i % 10000:D4}");

    private static string FrenchMobile(int i) => string.Create(CultureInfo.InvariantCulture, $"+336{i:D8}");

    private sealed class WhippyTarget : ReliabilityTarget
    {
        public override string Name => "Whippy";

        public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddWhippy(name, o =>
        {
            o.BaseAddress = emulator.Whippy.BaseAddress;
            o.ApiKey = emulator.Whippy.ApiKey;
            o.EnablePacing = false;
        });

        public override Contact Contact(int i) => new() { Phone = UsPhone(i), FirstName = "Member", LastName = i.ToString(CultureInfo.InvariantCulture) };

        public override string Secret(ContactListsEmulator emulator) => emulator.Whippy.ApiKey;

        public override string Identity(Contact contact) => contact.Phone!;

        public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Whippy.State.GetMemberPhones(listId);
    }

    private sealed class MovioTarget : ReliabilityTarget
    {
        public override string Name => "Movio";

        public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddMovio(name, o =>
        {
            o.BaseAddress = emulator.Movio.BaseAddress;
            o.TokenEndpoint = emulator.Movio.TokenEndpoint;
            o.ClientId = emulator.Movio.ClientId;
            o.ClientSecret = emulator.Movio.ClientSecret;
        });

        public override Contact Contact(int i) => new() { Email = string.Create(CultureInfo.InvariantCulture, $"member{i}@example.com"), FirstName = "Member" };

        public override string Secret(ContactListsEmulator emulator) => emulator.Movio.ClientSecret;

        public override string Identity(Contact contact) => contact.Email!;

        public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Movio.State.GetMemberEmails(listId);

        public override Task<string> CreateListAsync(IContactListClient client, ContactListsEmulator emulator, string name) => Task.FromResult(emulator.Movio.State.CreateList(name));
    }

    private sealed class OctopushTarget : ReliabilityTarget
    {
        public override string Name => "Octopush";

        public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddOctopush(name, o =>
        {
            o.BaseAddress = emulator.Octopush.BaseAddress;
            o.ApiLogin = emulator.Octopush.ApiLogin;
            o.ApiKey = emulator.Octopush.ApiKey;
        });

        public override Contact Contact(int i) => new() { Phone = FrenchMobile(i), FirstName = "Membre" };

        public override string Secret(ContactListsEmulator emulator) => emulator.Octopush.ApiKey;

        public override string Identity(Contact contact) => contact.Phone!;

        public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId) => emulator.Octopush.State.GetMemberPhones(listId);
    }

    private sealed class SlickTextTarget : ReliabilityTarget
    {
        public override string Name => "SlickText";

        public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddSlickText(name, o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = emulator.SlickText.ApiKey;
            o.EnablePacing = false;
        });

        public override Contact Contact(int i) => new() { Phone = UsPhone(i), FirstName = "Member" };

        public override string Secret(ContactListsEmulator emulator) => emulator.SlickText.ApiKey;

        public override string Identity(Contact contact) => contact.Phone!;

        public override int? AccountContacts(ContactListsEmulator emulator) => emulator.SlickText.State.ContactCount;

        public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId)
            => emulator.SlickText.State.GetMemberPhones(long.Parse(listId, CultureInfo.InvariantCulture));
    }

    private sealed class MessengeoTarget : ReliabilityTarget
    {
        public override string Name => "Messengeo";

        public override ContactListClientBuilder Register(ContactListsBuilder builder, ContactListsEmulator emulator, string name = ClientName) => builder.AddMessengeo(name, o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = emulator.Messengeo.ClientSecret;
        });

        public override Contact Contact(int i) => new() { Phone = FrenchMobile(i), FirstName = "Membre" };

        public override string Secret(ContactListsEmulator emulator) => emulator.Messengeo.ClientSecret;

        public override string Identity(Contact contact) => contact.Phone!;

        public override int? AccountContacts(ContactListsEmulator emulator) => emulator.Messengeo.State.ContactCount;

        public override IReadOnlyList<string> Members(ContactListsEmulator emulator, string listId)
            => emulator.Messengeo.State.GetMemberMobiles(listId).Select(m => m ?? "(none)").ToArray();
    }
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
