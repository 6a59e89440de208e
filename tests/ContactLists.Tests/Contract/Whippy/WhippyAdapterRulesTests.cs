using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;

namespace ContactLists.Tests.Contract.Whippy;

/// <summary>
/// Whippy's own limits, applied by its adapter before anything is sent: 4000 contacts a request, 255 characters for a
/// name, no list descriptions, no replace with nothing. (The shared engine behind them is tested on the test-only
/// provider, in Bulk/ and Core/.)
/// </summary>
public sealed class WhippyAdapterRulesTests
{
    private const string Accepted = """{"data":{"message":"Contact list contacts are being updated"}}""";

    private static (ServiceProvider Services, StubHandler Stub) Build()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, Accepted);
        return (WhippyTestHost.Build(new Uri("https://api.whippy.test"), primaryHandler: stub), stub);
    }

    [Fact]
    public async Task A_batch_over_Whippys_limit_of_4000_is_split()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var result = await services.Client().AddContactsAsync("l1", Enumerable.Range(0, 4001).Select(TestHost.Contact).ToArray(), new BulkOptions { BatchSize = 10_000 });

        stub.Requests.Select(r => JsonNode.Parse(r.Body!)!["contacts"]!.AsArray().Count).Should().Equal(4000, 1);
        result.AcceptedForProcessing.Should().Be(4001);
    }

    [Fact]
    public async Task A_name_longer_than_255_characters_is_left_out_or_when_asked_refused_by_index_and_field()
    {
        var (services, stub) = Build();
        await using var _ = services;
        Contact[] contacts = [TestHost.Contact(0), new Contact { Phone = "+14155550101", FirstName = new string('a', 200), LastName = new string('b', 60), Email = "not an e-mail" }];

        // The phone is the identity: a name or an e-mail Whippy would refuse is left out, not the contact.
        var sent = await services.Client().AddContactsAsync("l1", contacts);
        var body = JsonNode.Parse(stub.Requests.Single().Body!)!["contacts"]![1]!.AsObject();
        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", contacts, new BulkOptions { InvalidFields = InvalidFieldHandling.Reject }))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*255 characters*")).Which;

        sent.AcceptedForProcessing.Should().Be(2);
        sent.DroppedFields.Should().Equal(new Dictionary<string, long> { ["FirstName/LastName (too long)"] = 1, ["Email (not valid)"] = 1 });
        body.Select(p => p.Key).Should().BeEquivalentTo(["phone"], "the names and the e-mail were left out");
        error.ContactIndex.Should().Be(1);
        error.Field.Should().Be("FirstName/LastName");
        error.Message.Should().StartWith("Contact #1 cannot be sent to Whippy");
        stub.Requests.Should().HaveCount(1, "the refusal came before any request");
    }

    [Fact]
    public async Task A_replace_with_no_contacts_is_refused_since_Whippy_cannot_empty_a_list()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await FluentActions.Awaiting(() => services.Client().ReplaceContactsAsync("l1", Array.Empty<Contact>()))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("Whippy cannot replace*with none*");
        stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_description_Whippy_cannot_store_is_refused_rather_than_dropped()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await FluentActions.Awaiting(() => services.Client().CreateListAsync(new NewContactList("VIP", "Our best customers")))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*no description*");
        await FluentActions.Awaiting(() => services.Client().UpdateListAsync("l1", new ContactListUpdate { Description = "x" }))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*no description*");
        stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task A_batch_size_over_4000_is_refused_at_start_naming_the_setting()
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddWhippy("marketing", o =>
        {
            o.ApiKey = "k";
            o.BatchSize = 5000;
        }));
        await using var provider = services.BuildServiceProvider();

        FluentActions.Invoking(() => provider.GetRequiredService<IStartupValidator>().Validate()).Should().Throw<OptionsValidationException>()
            .WithMessage("*ContactLists:Whippy:marketing:BatchSize must be between 1 and 4000*");
    }
}
