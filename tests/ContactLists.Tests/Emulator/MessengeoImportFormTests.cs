using System.Text;
using ContactLists.Emulator;
using ContactLists.Providers.Messengeo;

namespace ContactLists.Tests.Emulator;

/// <summary>
/// Where a Messengeo import's <c>name</c> and <c>ignoreFirstLine</c> go, and how the flag is written, are not confirmed.
/// The emulator reads them only where and as it is set to; the SDK, set to the same form, imports as asked, and set to
/// another form is caught rather than agreed with.
/// </summary>
public sealed class MessengeoImportFormTests
{
    private const string Csv = "Civility;First name;Last name;Email;Fixed Telephone;Mobile\nMme;Ana;Leroy;ana@example.fr;;+33600000001\n";

    private static async Task<(ContactListsEmulator Emulator, ServiceProvider Services, ObservableFakeTimeProvider Time)> StartAsync(
        bool emulatorInQuery, bool emulatorAsNumber, MessengeoImportParameterPlacement placement, MessengeoImportFlagEncoding encoding)
    {
        var time = new ObservableFakeTimeProvider();
        var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions
        {
            RateLimits = EmulatorRateLimits.Off,
            TimeProvider = time,
            MessengeoImportParametersInQuery = emulatorInQuery,
            MessengeoImportFlagAsNumber = emulatorAsNumber,
        });
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(time);
        services.AddContactLists(b => b.AddMessengeo("crm", o =>
        {
            o.BaseAddress = emulator.Messengeo.BaseAddress;
            o.TokenEndpoint = emulator.Messengeo.TokenEndpoint;
            o.ClientId = emulator.Messengeo.ClientId;
            o.ClientSecret = emulator.Messengeo.ClientSecret;
            o.ImportParameterPlacement = placement;
            o.ImportFirstLineFlag = encoding;
        }));
        return (emulator, services.BuildServiceProvider(), time);
    }

    private static async Task<(ContactList List, long? Lines, long? Invalid)> ImportAsync(ServiceProvider services, ObservableFakeTimeProvider time)
    {
        var client = services.GetRequiredKeyedService<IContactListClient>("crm");
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(Csv));
        var import = await client.ImportFileAsync("Spring CRM", new ContactListFile(file, "export.csv") { HasHeaderRow = true });
        time.Advance(TimeSpan.FromSeconds(5));
        await import.UpdateStatusAsync();
        import.State.Should().Be(ContactListImportState.Completed);
        return (await client.GetListAsync(import.ListId), import.LinesRead, import.InvalidLines);
    }

    [Theory]
    [InlineData(false, false, MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.TrueFalse)]
    [InlineData(false, true, MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.OneZero)]
    [InlineData(true, false, MessengeoImportParameterPlacement.Query, MessengeoImportFlagEncoding.TrueFalse)]
    [InlineData(true, true, MessengeoImportParameterPlacement.Query, MessengeoImportFlagEncoding.OneZero)]
    public async Task Set_to_the_servers_form_the_import_gets_its_name_and_skips_the_header_row(
        bool emulatorInQuery, bool emulatorAsNumber, MessengeoImportParameterPlacement placement, MessengeoImportFlagEncoding encoding)
    {
        var (emulator, services, time) = await StartAsync(emulatorInQuery, emulatorAsNumber, placement, encoding);
        await using var _ = emulator;
        await using var __ = services;

        var (list, lines, invalid) = await ImportAsync(services, time);

        list.Name.Should().Be("Spring CRM");
        lines.Should().Be(1, "the header row is not a contact");
        invalid.Should().Be(0);
    }

    [Fact]
    public async Task Parameters_sent_where_the_server_does_not_read_them_show_as_a_wrong_name_and_an_imported_header()
    {
        var (emulator, services, time) = await StartAsync(emulatorInQuery: true, emulatorAsNumber: false, MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.TrueFalse);
        await using var _ = emulator;
        await using var __ = services;

        var (list, lines, invalid) = await ImportAsync(services, time);

        list.Name.Should().Be("export", "the server saw no name");
        (lines, invalid).Should().Be((2L, 1L), "the server read the header row as a contact, and an invalid one");
    }

    [Fact]
    public async Task A_flag_written_the_other_way_is_refused()
    {
        var (emulator, services, _) = await StartAsync(emulatorInQuery: false, emulatorAsNumber: false, MessengeoImportParameterPlacement.Body, MessengeoImportFlagEncoding.OneZero);
        await using var _e = emulator;
        await using var _s = services;
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(Csv));

        var error = (await FluentActions.Awaiting(() => services.GetRequiredKeyedService<IContactListClient>("crm").ImportFileAsync("Spring CRM", new ContactListFile(file, "export.csv")))
            .Should().ThrowAsync<ContactListRequestRejectedException>()).Which;

        error.ErrorMessages.Should().ContainSingle().Which.Should().Contain("ignoreFirstLine must be true or false");
    }
}
