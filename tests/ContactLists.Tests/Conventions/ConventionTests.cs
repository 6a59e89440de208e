using System.Reflection;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using ContactLists.Providers.Whippy;
using ContactLists.Tests.Reliability;
using Refit;

namespace ContactLists.Tests.Conventions;

/// <summary>
/// Rules every provider folder follows, checked over all of them at once (in the spirit of Octokit's convention
/// tests), so that a sixth provider cannot silently break them.
/// </summary>
public sealed partial class ConventionTests
{
    private static readonly Assembly Sdk = typeof(IContactListClient).Assembly;

    /// <summary>Every provider, from the one catalog (<see cref="ReliabilityTarget.All"/>).</summary>
    private static readonly string[] ProviderNames = [.. ReliabilityTarget.All.Keys];

    /// <summary>Each provider's Refit interface and the JSON context its wire types must be in.</summary>
    public static TheoryData<string, Type, JsonSerializerContext> Apis()
    {
        var data = new TheoryData<string, Type, JsonSerializerContext>();
        foreach (var target in ReliabilityTarget.All.Values)
        {
            data.Add(target.Name, target.Api, target.JsonContext);
        }

        return data;
    }

    [Fact]
    public async Task Every_declared_capability_has_its_implementation_and_every_implementation_is_declared()
    {
        await using var emulator = await ContactLists.Emulator.ContactListsEmulator.StartAsync();
        using var provider = AllProviders(emulator);
        var factory = provider.GetRequiredService<IContactListClientFactory>();
        factory.ClientNames.Should().HaveCount(ProviderNames.Length);
        foreach (var name in factory.ClientNames)
        {
            var client = factory.GetClient(name);
            var type = client.GetType();
            foreach (var (capability, method) in Implementations)
            {
                var implemented = Overrides(type, method);
                // Reading the first page only (Whippy) is GetContacts' implementation too.
                var declared = client.Capabilities.HasFlag(capability)
                    || (capability == ContactListCapabilities.GetContacts && client.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage));
                if (declared)
                {
                    implemented.Should().BeTrue($"{type.Name} declares {capability}, so it must override {method}");
                }
                else
                {
                    implemented.Should().BeFalse($"{type.Name} overrides {method} but does not declare {capability}");
                }
            }

            var bulk = client.Capabilities & (ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts);
            if (bulk != ContactListCapabilities.None)
            {
                Overrides(type, "SendBatchAsync").Should().BeTrue($"{type.Name} declares {bulk}, which are sent by SendBatchAsync");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Apis))]
    public void Every_wire_type_of_a_Refit_interface_is_in_its_JSON_context(string provider, Type api, JsonSerializerContext context)
    {
        var wireTypes = new HashSet<Type>();
        foreach (var method in api.GetMethods())
        {
            if (Unwrap(method.ReturnType) is { } returned)
            {
                wireTypes.Add(returned);
            }

            foreach (var parameter in method.GetParameters().Where(p => p.GetCustomAttribute<BodyAttribute>() is not null))
            {
                wireTypes.Add(parameter.ParameterType);
            }
        }

        wireTypes.Should().NotBeEmpty();
        foreach (var type in wireTypes.Where(t => t != typeof(string) && !t.IsPrimitive && t != typeof(HttpContent) && !typeof(Stream).IsAssignableFrom(t)))
        {
            context.GetTypeInfo(type).Should().NotBeNull($"{provider}'s {api.Name} sends or reads {type.Name}, so {context.GetType().Name} must list it (AOT has no fallback)");
        }
    }

    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public void Every_Refit_method_is_classified_as_repeatable_or_not(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        var (api, profile) = (target.Api, target.Profile);
        var methods = api.GetMethods().Select(m => m.Name).ToHashSet(StringComparer.Ordinal);

        profile.RepeatableOperations.Intersect(profile.UnrepeatableOperations).Should().BeEmpty($"{provider}: no method is both");
        profile.RepeatableOperations.Union(profile.UnrepeatableOperations).Should().BeEquivalentTo(methods, $"every method of {api.Name} says whether its request may be repeated");
        foreach (var method in methods)
        {
            // What Refit puts on the request decides, whatever the verb or URL.
            using var request = new HttpRequestMessage(HttpMethod.Post, "https://example.test/anything");
            request.Options.Set(new HttpRequestOptionsKey<string>(HttpRequestMessageOptions.MethodName), method);
            profile.IsRepeatable(request).Should().Be(profile.RepeatableOperations.Contains(method), $"{provider}.{method}");
        }
    }

    [Fact]
    public async Task Refit_names_the_interface_method_on_every_request_it_sends()
    {
        string? name = null;
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddWhippy("whippy", o =>
        {
            o.ApiKey = "k";
            o.EnablePacing = false;
        }).HttpClientBuilder.ConfigurePrimaryHttpMessageHandler(() => new Infrastructure.StubHandler((request, _, _) =>
        {
            request.Options.TryGetValue(new HttpRequestOptionsKey<string>(HttpRequestMessageOptions.MethodName), out name);
            return Task.FromResult(Infrastructure.StubHandler.Json(System.Net.HttpStatusCode.OK, "{\"data\":[],\"total\":0}"));
        })));
        await using var provider = services.BuildServiceProvider();

        await provider.GetRequiredKeyedService<IWhippyApi>("whippy").GetContactListsAsync();

        name.Should().Be(nameof(IWhippyApi.GetContactListsAsync));
    }

    [Fact]
    public void No_code_outside_a_provider_folder_names_a_provider_and_no_provider_folder_names_another()
    {
        var source = Path.Combine(Repository.Root, "src", "ContactLists");
        var providerTypes = Sdk.GetTypes()
            .Where(t => t.Namespace?.StartsWith("ContactLists.Providers.", StringComparison.Ordinal) == true && !t.IsNested && !t.Name.Contains('<', StringComparison.Ordinal))
            .GroupBy(t => t.Namespace!["ContactLists.Providers.".Length..])
            .ToDictionary(g => g.Key, g => g.Select(t => t.Name.Split('`')[0]).ToHashSet(StringComparer.Ordinal));
        providerTypes.Keys.Should().BeEquivalentTo(ProviderNames);

        foreach (var file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
        {
            var relative = Path.GetRelativePath(source, file);
            var owner = relative.StartsWith("Providers/", StringComparison.Ordinal) ? relative.Split('/')[1] : null;
            var code = CodeOnly(File.ReadAllText(file));
            foreach (var (name, types) in providerTypes.Where(p => p.Key != owner))
            {
                var used = types.Where(t => Regex.IsMatch(code, $@"\b{Regex.Escape(t)}\b")).ToList();
                used.Should().BeEmpty($"{relative} is {(owner is null ? "shared code" : owner + "'s folder")} and must not use {name}'s types");
                code.Should().NotContain("ContactLists.Providers." + name, $"{relative} must not import {name}");
            }
        }
    }

    [Fact]
    public void The_core_tests_run_on_the_test_only_provider_and_use_no_real_one()
    {
        // The shared code (bulk engine, pipeline, registration, argument checks) is tested on the test-only provider
        // (Infrastructure/TestProvider), so that a change in one real provider's adapter cannot break, or hide
        // behind, a test of the core. Behaviour through every real provider belongs in Conformance/ and Reliability/.
        var tests = Path.Combine(Repository.Root, "tests", "ContactLists.Tests");
        var core = new[] { "Bulk", "Http", "Core", "DependencyInjection" }
            .SelectMany(folder => Directory.EnumerateFiles(Path.Combine(tests, folder), "*.cs", SearchOption.AllDirectories))
            .ToList();
        core.Should().Contain(f => f.EndsWith("BulkTests.cs", StringComparison.Ordinal));

        foreach (var file in core)
        {
            var code = CodeOnly(File.ReadAllText(file));
            foreach (var provider in ProviderNames)
            {
                Regex.IsMatch(code, $@"\b(Add{provider}\(|{provider}TestHost|{provider}Options|I{provider}Api|ContactLists\.Providers\.{provider})").Should()
                    .BeFalse($"{Path.GetRelativePath(tests, file)} is a core test and must not register or use {provider}");
            }
        }
    }

    [Fact]
    public void The_list_of_providers_is_in_one_place()
    {
        // The shared suites, the tools and the emulator find the providers (ReliabilityTarget.All, the emulator's
        // modules, the SDK's descriptors); no file lists them by hand, so that a sixth provider is its own folders.
        // A file names every provider (or all but one: a list not updated for the newest) only if it is on this list,
        // each with the reason it still does.
        var allowed = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["samples/QuickStart/Program.cs"] = "a sample users copy: it shows each provider's registration as they would write it",
            ["samples/AotSmoke/Program.cs"] = "the AOT smoke test registers every provider explicitly, as a trimmed app must",
            ["samples/NightlySync/NightlySyncApp.cs"] = "a sample users copy: it registers every account in configuration, whatever its provider, as they would write it",
            ["benchmarks/ContactLists.Benchmarks/SyncRun.cs"] = "the million-row benchmark registers the provider it is asked for, by its registration as users write it",
        };
        var listing = new List<string>();
        foreach (var folder in new[] { "src", "tests", "samples", "benchmarks" })
        {
            foreach (var file in Directory.EnumerateFiles(Path.Combine(Repository.Root, folder), "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                var code = CodeOnly(File.ReadAllText(file));
                if (ProviderNames.Count(provider => Regex.IsMatch(code, $@"\b(Add|I)?{provider}")) >= ProviderNames.Length - 1)
                {
                    listing.Add(Path.GetRelativePath(Repository.Root, file).Replace('\\', '/'));
                }
            }
        }

        listing.Should().BeSubsetOf(allowed.Keys, "a file that lists every provider by hand must change for a sixth; iterate ReliabilityTarget.All, ContactListsEmulator.Providers or the SDK's descriptors instead");
    }

    [Fact]
    public void The_emulators_shared_files_name_no_provider_module()
    {
        var source = Path.Combine(Repository.Root, "src", "ContactLists.Emulator");
        var shared = Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/Providers/", StringComparison.Ordinal))
            .ToList();
        shared.Should().Contain(f => f.EndsWith("ContactListsEmulator.cs", StringComparison.Ordinal));

        foreach (var file in shared)
        {
            var code = CodeOnly(File.ReadAllText(file));
            foreach (var provider in ProviderNames)
            {
                code.Should().NotContain(provider, $"{Path.GetFileName(file)} is shared by every module; {provider}'s code belongs in Providers/{provider}/");
            }
        }
    }

    [Fact]
    public void Every_options_type_masks_its_secrets_in_ToString()
    {
        const string Sentinel = "SENTINEL-secret-value-42";
        var optionsTypes = Sdk.GetTypes().Where(t => t.IsSubclassOf(typeof(ContactListClientOptions)) && !t.IsAbstract).ToList();
        optionsTypes.Should().HaveCount(ProviderNames.Length);
        foreach (var type in optionsTypes.Append(typeof(ContactLists.Redis.RedisSharingOptions)))
        {
            var options = Activator.CreateInstance(type)!;
            var secrets = type.GetProperties().Where(p => p.PropertyType == typeof(string) && p.CanWrite && SecretName().IsMatch(p.Name)).ToList();
            foreach (var secret in secrets)
            {
                secret.SetValue(options, Sentinel);
            }

            options.ToString().Should().NotContain(Sentinel, $"{type.Name}.ToString() must mask {string.Join(", ", secrets.Select(s => s.Name))}");
            if (type.IsSubclassOf(typeof(ContactListClientOptions)))
            {
                secrets.Should().NotBeEmpty($"{type.Name} holds the account's credentials");
                options.ToString().Should().NotBe(type.FullName, $"{type.Name} overrides ToString");
            }
        }
    }

    private static readonly (ContactListCapabilities Capability, string Method)[] Implementations =
    [
        (ContactListCapabilities.ListLists, "GetListsCoreAsync"),
        (ContactListCapabilities.GetList, "GetListCoreAsync"),
        (ContactListCapabilities.CreateList, "CreateListCoreAsync"),
        (ContactListCapabilities.UpdateList, "UpdateListCoreAsync"),
        (ContactListCapabilities.DeleteList, "DeleteListCoreAsync"),
        (ContactListCapabilities.CountContacts, "CountContactsCoreAsync"),
        (ContactListCapabilities.GetContacts, "GetContactsCoreAsync"),
        (ContactListCapabilities.MergeLists, "MergeListsCoreAsync"),
        (ContactListCapabilities.ImportFile, "ImportFileCoreAsync"),
    ];

    private static bool Overrides(Type type, string method)
        => type.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
            .Any(m => m.Name == method && m.DeclaringType == type && m.GetBaseDefinition().DeclaringType != type);

    private static Type? Unwrap(Type type)
    {
        if (type == typeof(Task) || type == typeof(void))
        {
            return null;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Task<>))
        {
            type = type.GetGenericArguments()[0];
        }

        if (type.IsGenericType && (type.GetGenericTypeDefinition() == typeof(ApiResponse<>) || type.GetGenericTypeDefinition() == typeof(IApiResponse<>)))
        {
            type = type.GetGenericArguments()[0];
        }

        return type == typeof(HttpResponseMessage) || type == typeof(IApiResponse) ? null : type;
    }

    /// <summary>The source without comments and string literals, where a provider may be named in prose.</summary>
    private static string CodeOnly(string source)
        => CommentsAndStrings().Replace(source, " ");


    /// <summary>One client of every provider against <paramref name="emulator"/> (the clients are only inspected).</summary>
    private static ServiceProvider AllProviders(ContactLists.Emulator.ContactListsEmulator emulator)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            foreach (var target in ReliabilityTarget.All.Values)
            {
                target.Register(b, emulator, target.Name.ToLowerInvariant());
            }
        });
        return services.BuildServiceProvider();
    }

    [GeneratedRegex(@"""""""[\s\S]*?""""""|//[^\n]*|/\*.*?\*/|@?""(?:[^""\\\n]|\\.)*""", RegexOptions.Singleline)]
    private static partial Regex CommentsAndStrings();

    [GeneratedRegex("Key|Secret|Password|Token$", RegexOptions.IgnoreCase)]
    private static partial Regex SecretName();
}
