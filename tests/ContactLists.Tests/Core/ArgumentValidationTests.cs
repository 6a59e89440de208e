using System.Net;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.Core;

/// <summary>Bad arguments are refused before any request is sent; odd but legal ids never change the request path.</summary>
public sealed class ArgumentValidationTests
{
    private static (ServiceProvider Services, StubHandler Stub) Build()
    {
        var stub = StubHandler.Always(HttpStatusCode.OK, TestProviderHost.ListJson);
        return (TestProviderHost.Build(primaryHandler: stub), stub);
    }

    public static TheoryData<string?> BadIds => new() { null, "", " ", "\t", "a\nb", ".", ".." };

    [Theory]
    [MemberData(nameof(BadIds))]
    public async Task Null_empty_whitespace_or_control_character_ids_are_refused_before_sending(string? id)
    {
        var (services, stub) = Build();
        await using var _ = services;
        var client = services.Client();

        await FluentActions.Awaiting(() => client.GetListAsync(id!)).Should().ThrowAsync<ContactListValidationException>().Where(e => e.ParamName == "listId");
        await FluentActions.Awaiting(() => client.DeleteListAsync(id!)).Should().ThrowAsync<ContactListValidationException>();
        await FluentActions.Awaiting(() => client.CountContactsAsync(id!)).Should().ThrowAsync<ContactListValidationException>();
        await FluentActions.Awaiting(() => client.UpdateListAsync(id!, new ContactListUpdate { Name = "x" })).Should().ThrowAsync<ContactListValidationException>();
        FluentActions.Invoking(() => client.GetContactsAsync(id!)).Should().Throw<ContactListValidationException>("an enumerable checks its arguments when it is created, not when it is first read");
        await FluentActions.Awaiting(() => client.AddContactsAsync(id!, [TestHost.Contact(1)])).Should().ThrowAsync<ContactListValidationException>();
        await FluentActions.Awaiting(() => client.RemoveContactsAsync(id!, [TestHost.Contact(1)])).Should().ThrowAsync<ContactListValidationException>();
        await FluentActions.Awaiting(() => client.ReplaceContactsAsync(id!, [TestHost.Contact(1)])).Should().ThrowAsync<ContactListValidationException>();
        stub.Requests.Should().BeEmpty();
    }

    [Theory]
    [InlineData("a/b", "/lists/a%2Fb")]
    [InlineData("a?b=c", "/lists/a%3Fb%3Dc")]
    [InlineData("a#b", "/lists/a%23b")]
    [InlineData("../../admin", "/lists/..%2F..%2Fadmin")]
    [InlineData("a..b", "/lists/a..b")]
    [InlineData("%2F", "/lists/%252F")]
    public async Task Ids_are_escaped_as_one_path_segment(string id, string expectedPath)
    {
        var (services, stub) = Build();
        await using var _ = services;

        await services.Client().GetListAsync(id);

        var uri = stub.Requests.Should().ContainSingle().Which.Uri;
        uri.AbsolutePath.Should().Be(expectedPath);
        uri.Query.Should().BeEmpty();
        uri.Fragment.Should().BeEmpty();
    }

    [Fact]
    public async Task A_new_list_needs_a_name()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await FluentActions.Awaiting(() => services.Client().CreateListAsync(new NewContactList("  "))).Should().ThrowAsync<ContactListValidationException>();
        await FluentActions.Awaiting(() => services.Client().CreateListAsync(null!)).Should().ThrowAsync<ArgumentNullException>();
        await FluentActions.Awaiting(() => services.Client().UpdateListAsync("x", new ContactListUpdate())).Should().ThrowAsync<ContactListValidationException>().WithMessage("*changes nothing*");
        stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Bulk_options_are_checked_before_sending()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await FluentActions.Awaiting(() => services.Client().AddContactsAsync("x", [TestHost.Contact(1)], new BulkOptions { BatchSize = 0 }))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*BatchSize*");
        await FluentActions.Awaiting(() => services.Client().AddContactsAsync("x", (IEnumerable<Contact>)null!))
            .Should().ThrowAsync<ArgumentNullException>();
        stub.Requests.Should().BeEmpty();
    }
}
