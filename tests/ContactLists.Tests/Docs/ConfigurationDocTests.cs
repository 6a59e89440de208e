using System.Reflection;
using System.Text;
using ContactLists.Providers.Movio;
using ContactLists.Providers.Whippy;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ContactLists.Tests.Docs;

/// <summary>docs/configuration.md names every account option, and its JSON example binds as it says.</summary>
public sealed class ConfigurationDocTests
{
    private static readonly string Page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "configuration.md"));

    [Fact]
    public void Every_account_option_is_on_the_page()
    {
        var optionsTypes = typeof(ContactListClientOptions).Assembly.GetTypes()
            .Where(t => t == typeof(ContactListClientOptions) || t.IsSubclassOf(typeof(ContactListClientOptions)));
        var missing = optionsTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly)
                // Settable, or a collection filled through configuration; computed read-only values are not settings.
                .Where(p => p.CanWrite || (p.PropertyType != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(p.PropertyType)))
                .Select(p => (t.Name, p.Name)))
            .Where(p => !Page.Contains($"| `{p.Item2}` |", StringComparison.Ordinal))
            .ToList();

        missing.Should().BeEmpty("docs/configuration.md lists every setting with its default and meaning");
    }

    [Fact]
    public void The_pages_json_example_binds_as_it_says()
    {
        var json = Page[(Page.IndexOf("```json", StringComparison.Ordinal) + "```json".Length)..];
        json = json[..json.IndexOf("```", StringComparison.Ordinal)];
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            // The secrets, as the page says, come from elsewhere (environment variables).
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ContactLists:Whippy:marketing:ApiKey"] = "key",
                ["ContactLists:Movio:loyalty:ClientSecret"] = "secret",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddContactLists(configuration, b => b.AddWhippy().AddMovio());
        using var provider = services.BuildServiceProvider();

        var whippy = provider.GetRequiredService<IOptionsMonitor<WhippyOptions>>().Get("marketing");
        var movio = provider.GetRequiredService<IOptionsMonitor<MovioOptions>>().Get("loyalty");

        whippy.BatchSize.Should().Be(2000);
        whippy.OptInToChannelIds.Should().Equal("ch_123");
        movio.Region.Should().Be(MovioRegion.Eu);
        movio.ClientId.Should().Be("my-client");
    }
}
