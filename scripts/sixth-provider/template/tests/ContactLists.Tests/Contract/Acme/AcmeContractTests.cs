using ContactLists.Providers.Acme;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace ContactLists.Tests.Contract.Acme;

/// <summary>Acme's list creation: the exact request, and the documented answer parsed.</summary>
public sealed class AcmeContractTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Create_list_posts_its_name_with_the_key()
    {
        _server.Given(Request.Create().UsingPost().WithPath("/lists").WithHeader("X-Api-Key", "acme-key", MatchBehaviour.AcceptOnMatch)
                .WithBody(new JsonMatcher("""{"name":"vip"}""")))
            .RespondWith(Response.Create().WithStatusCode(201).WithHeader("Content-Type", "application/json").WithBody("""{"id":"7","name":"vip","archived":false,"member_count":0}"""));
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddAcme("a", o => { o.BaseAddress = new Uri(_server.Url!); o.ApiKey = "acme-key"; }));
        await using var provider = services.BuildServiceProvider();

        var list = await provider.GetRequiredKeyedService<IContactListClient>("a").CreateListAsync(new NewContactList("vip"));

        list.Id.Should().Be("7");
        list.Name.Should().Be("vip");
    }
}
