using System.Text;
using ContactLists.Emulator;
using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Docs;

/// <summary>
/// Each docs/providers/ page holds its provider's Fields table exactly as the client's field model gives it
/// (<see cref="IContactListClient.GetFieldsAsync"/>), so the page cannot drift from the code.
/// </summary>
public sealed class ProviderFieldsDocTests
{
    [Theory]
    [MemberData(nameof(ReliabilityTarget.Names), MemberType = typeof(ReliabilityTarget))]
    public async Task The_providers_page_shows_its_field_model(string provider)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var services = new ServiceCollection();
        services.AddContactLists(b => ReliabilityTarget.All[provider].Register(b, emulator));
        await using var built = services.BuildServiceProvider();
        var fields = await built.GetRequiredService<IContactListClientFactory>().GetClient(ReliabilityTarget.ClientName).GetFieldsAsync();
        var page = File.ReadAllText(Path.Combine(Repository.Root, "docs", "providers", provider.ToLowerInvariant() + ".md")).ReplaceLineEndings("\n");

        var table = Render(fields);
        if (Environment.GetEnvironmentVariable("CONTACTLISTS_FIELD_TABLES") is { Length: > 0 } folder)
        {
            // Writes the tables out, for pasting into the pages when a model changes.
            File.WriteAllText(Path.Combine(folder, provider.ToLowerInvariant() + ".md"), table);
        }

        page.Should().Contain(table, $"docs/providers/{provider.ToLowerInvariant()}.md shows the field model under '## Fields'; expected:\n{table}");
    }

    /// <summary>The table as the page shows it.</summary>
    public static string Render(ContactFieldModel fields)
    {
        var text = new StringBuilder("## Fields\n\n| Field | On the wire | Stored | Read back | Updated | Note |\n|---|---|---|---|---|---|\n");
        foreach (var field in fields.Fields)
        {
            var name = field.Kind == ContactFieldKind.Standard ? $"`{field.Name}`" : $"`Attributes[{field.Name}]`";
            var aliases = field.Aliases.Count > 0 ? " (also " + string.Join(", ", field.Aliases.Select(a => $"`{a}`")) + ")" : string.Empty;
            text.Append($"| {name}{aliases} | {(field.ProviderField is null ? "—" : $"`{field.ProviderField}`")} | {(field.Stored ? "yes" : "no")} | {(field.ReadBack ? "yes" : "no")} | {(field.Updated ? "yes" : "no")} | {field.Note} |\n");
        }

        if (fields.AcceptsAnyAttribute)
        {
            text.Append($"| any other attribute | {fields.AnyAttributeField} | yes | | yes | |\n");
        }

        return text.ToString();
    }
}
