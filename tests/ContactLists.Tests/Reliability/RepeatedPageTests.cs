using ContactLists.Emulator;
using Microsoft.Extensions.Http;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Issue 31: a server that ignores <c>offset</c> answers the first page again and again. Every paged read of every
/// provider (lists, members, the members a remove reads first) then ends, after two pages, in a typed error that says
/// so, instead of paging for ever; and, with the offset applied, the same reads go through.
/// </summary>
public sealed class RepeatedPageTests
{
    public static TheoryData<string, string> Reads()
    {
        var reads = new TheoryData<string, string>();
        foreach (var target in ReliabilityTarget.All.Values)
        {
            foreach (var (read, _) in target.PagedReads)
            {
                reads.Add(target.Name, read);
            }
        }

        return reads;
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task A_server_that_ignores_the_offset_ends_the_read_typed_after_two_pages(string provider, string read)
    {
        await using var run = await StartAsync(provider);
        var listId = await run.PrepareAsync();
        run.Offsets.Ignored = true;
        var requests = run.Emulator.Log.Requests.Count;

        var act = () => run.Read(read)(run.Client, listId);

        var failure = (await act.Should().ThrowAsync<ContactListException>()).Which;
        var cause = failure as ContactListUnexpectedAnswerException ?? failure.InnerException as ContactListUnexpectedAnswerException;
        cause.Should().NotBeNull(failure.ToString());
        cause!.Message.Should().Contain("without end").And.Contain("repeats the page before it");
        (run.Emulator.Log.Requests.Count - requests).Should().BeLessThanOrEqualTo(4, "two pages, and the lookups or token a call needs; never a third page of the same");
    }

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task The_same_read_goes_through_when_the_offset_is_applied(string provider, string read)
    {
        await using var run = await StartAsync(provider);
        var listId = await run.PrepareAsync();

        await run.Read(read)(run.Client, listId);
    }

    private static async Task<Run> StartAsync(string provider)
    {
        var target = ReliabilityTarget.All[provider];
        var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        var offsets = new OffsetSwitch();
        var services = new ServiceCollection();
        services.AddContactLists(b => target.Register(b, emulator));
        target.SmallPages(services);
        services.ConfigureAll<HttpClientFactoryOptions>(o => o.HttpMessageHandlerBuilderActions.Add(h => h.AdditionalHandlers.Insert(0, new IgnoringOffset(offsets))));
        var provided = services.BuildServiceProvider();
        return new Run(target, emulator, provided, provided.GetRequiredService<IContactListClientFactory>().GetClient(ReliabilityTarget.ClientName), offsets);
    }

    private sealed record Run(ReliabilityTarget Target, ContactListsEmulator Emulator, ServiceProvider Services, IContactListClient Client, OffsetSwitch Offsets) : IAsyncDisposable
    {
        /// <summary>Three lists in the account, one of them holding five members; its id.</summary>
        public async Task<string> PrepareAsync()
        {
            var listId = await Target.CreateListAsync(Client, Emulator, "Paged");
            await Target.CreateListAsync(Client, Emulator, "Paged 2");
            await Target.CreateListAsync(Client, Emulator, "Paged 3");
            await Client.AddContactsAsync(listId, Enumerable.Range(0, 5).Select(Target.Contact));
            return listId;
        }

        public Func<IContactListClient, string, Task> Read(string read) => Target.PagedReads.Single(r => r.Read == read).Run;

        public async ValueTask DisposeAsync()
        {
            await Services.DisposeAsync();
            await Emulator.DisposeAsync();
        }
    }

    private sealed class OffsetSwitch
    {
        public volatile bool Ignored;
    }

    /// <summary>What a server that ignores <c>offset</c> does, done on the way out: the query loses its offset.</summary>
    private sealed class IgnoringOffset(OffsetSwitch offsets) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (offsets.Ignored && request.RequestUri is { Query.Length: > 1 } uri)
            {
                var query = uri.Query[1..].Split('&').Where(p => !p.StartsWith("offset=", StringComparison.OrdinalIgnoreCase));
                request.RequestUri = new UriBuilder(uri) { Query = string.Join('&', query) }.Uri;
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
