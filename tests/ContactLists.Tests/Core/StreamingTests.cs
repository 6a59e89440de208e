using System.Net;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.Core;

/// <summary>Streams (lists, members) are read lazily, one page at a time, and stop when the caller stops.</summary>
public sealed class StreamingTests
{
    private static StubHandler PagedMembers(int total) => new((request, _, _) =>
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var offset = int.Parse(query["offset"]!, System.Globalization.CultureInfo.InvariantCulture);
        var limit = int.Parse(query["limit"]!, System.Globalization.CultureInfo.InvariantCulture);
        var members = Enumerable.Range(offset, Math.Max(0, Math.Min(limit, total - offset))).Select(i => $$"""{"phone":"{{TestHost.Contact(i).Phone}}"}""");
        return Task.FromResult(StubHandler.Json(HttpStatusCode.OK, $$"""{"members":[{{string.Join(',', members)}}],"total":{{total}}}"""));
    });

    [Fact]
    public async Task Nothing_is_sent_until_the_stream_is_read_and_each_page_only_when_it_is_reached()
    {
        var stub = PagedMembers(total: 5);
        await using var services = TestProviderHost.Build(primaryHandler: stub, configure: o => o.PageSize = 2);

        var members = services.Client().GetContactsAsync("l1");
        stub.Requests.Should().BeEmpty("creating the stream sends nothing");

        var firstThree = await members.Take(3).ToListAsync();
        firstThree.Select(c => c.Phone).Should().Equal(Enumerable.Range(0, 3).Select(i => TestHost.Contact(i).Phone));
        stub.Requests.Select(r => r.Uri.PathAndQuery).Should().Equal("/lists/l1/members?offset=0&limit=2", "/lists/l1/members?offset=2&limit=2");

        (await members.CountAsync()).Should().Be(5, "a second enumeration reads from the start again");
    }
}
