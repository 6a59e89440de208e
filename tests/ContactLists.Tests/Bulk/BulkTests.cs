using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using ContactLists.Tests.Infrastructure.TestProvider;

namespace ContactLists.Tests.Bulk;

/// <summary>The bulk engine, through the test-only provider: batching, checks before sending, and exact accounting.</summary>
public sealed class BulkTests
{
    private static (ServiceProvider Services, StubHandler Stub) Build(Func<int, HttpStatusCode>? statusForAttempt = null)
    {
        var stub = new StubHandler((_, attempt, _) => Task.FromResult(statusForAttempt?.Invoke(attempt) is { } status && status != HttpStatusCode.Accepted
            ? StubHandler.Json(status, TestProviderHost.Error("The list is archived"))
            : StubHandler.Json(HttpStatusCode.Accepted, TestProviderHost.Queued)));
        return (TestProviderHost.Build(primaryHandler: stub), stub);
    }

    private static Contact[] Contacts(int count) => Enumerable.Range(0, count).Select(TestHost.Contact).ToArray();

    private static (string Action, string[] Phones) Body(RecordedRequest request)
    {
        var json = JsonNode.Parse(request.Body!)!;
        return (json["action"]!.GetValue<string>(), json["members"]!.AsArray().Select(c => c!["phone"]!.GetValue<string>()).ToArray());
    }

    [Fact]
    public async Task A_batch_over_the_providers_limit_is_split()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var result = await services.Client().AddContactsAsync("l1", Contacts(1001), new BulkOptions { BatchSize = 10_000 });

        stub.Requests.Select(r => Body(r).Phones.Length).Should().Equal(1000, 1);
        result.Batches.Select(b => (b.Index, b.FirstContactIndex, b.Count)).Should().Equal((0, 0L, 1000), (1, 1000L, 1));
        result.AcceptedForProcessing.Should().Be(1001);
        result.IsComplete.Should().BeTrue();
    }

    [Fact]
    public async Task The_batch_size_option_cuts_smaller_batches_and_keeps_input_order()
    {
        var (services, stub) = Build();
        await using var _ = services;
        var contacts = Contacts(5);

        await services.Client().AddContactsAsync("l1", contacts, new BulkOptions { BatchSize = 2 });

        stub.Requests.SelectMany(r => Body(r).Phones).Should().Equal(contacts.Select(c => c.Phone));
        stub.Requests.Should().HaveCount(3);
    }

    [Fact]
    public async Task A_replace_larger_than_one_batch_overwrites_first_then_adds_and_says_it_was_not_atomic()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var result = await services.Client().ReplaceContactsAsync("l1", Contacts(5), new BulkOptions { BatchSize = 2 });

        stub.Requests.Select(r => Body(r).Action).Should().Equal("overwrite", "add", "add");
        result.IsAtomic.Should().BeFalse();
        result.Batches.Select(b => b.Action).Should().Equal("overwrite", "add", "add");
    }

    [Fact]
    public async Task A_replace_with_no_contacts_is_refused_where_the_provider_cannot_empty_a_list()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await FluentActions.Awaiting(() => services.Client().ReplaceContactsAsync("l1", Array.Empty<Contact>()))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage("*cannot replace*with none*");
        stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Adding_nothing_sends_nothing()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var result = await services.Client().AddContactsAsync("l1", Array.Empty<Contact>());

        result.Read.Should().Be(0);
        result.IsComplete.Should().BeTrue();
        stub.Requests.Should().BeEmpty();
    }

    public static TheoryData<Contact, string, string> InvalidContacts => new()
    {
        { new Contact { Email = "ada@example.com" }, "Phone", "*Phone is required*" },
        { new Contact { Phone = "   " }, "Phone", "*Phone is required*" },
        { new Contact { Phone = "4155550101" }, "Phone", "*not in international form*" },
        { new Contact { Phone = "+1415" }, "Phone", "*has a length no number of its country code has*" },
        { new Contact { Phone = "+1 not a number" }, "Phone", "*not a*phone number*" },
        { new Contact { Phone = "+14155550101", Email = "not-an-email" }, "Email", "*not a valid e-mail address*" },
        { new Contact { Phone = "+14155550101", FirstName = new string('a', 101) }, "FirstName", "*100 characters*" },
    };

    [Theory]
    [MemberData(nameof(InvalidContacts))]
    public async Task A_contact_the_provider_would_refuse_is_named_by_index_and_field_before_anything_is_sent(Contact invalid, string field, string message)
    {
        var (services, stub) = Build();
        await using var _ = services;
        var contacts = Contacts(3).Append(invalid).ToList();

        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", contacts, new BulkOptions { BatchSize = 1 }))
            .Should().ThrowAsync<ContactListValidationException>().WithMessage(message)).Which;

        error.ContactIndex.Should().Be(3);
        error.Field.Should().Be(field);
        error.Provider.Should().Be("Test");
        error.Message.Should().StartWith("Contact #3 cannot be sent to Test");
        stub.Requests.Should().BeEmpty("a collection is checked whole before the first request");
    }

    [Fact]
    public async Task A_null_contact_is_refused_too()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", [TestHost.Contact(1), null!]))
            .Should().ThrowAsync<ContactListValidationException>()).Which;

        error.ContactIndex.Should().Be(1);
        stub.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Phones_are_normalized_to_E164_before_sending()
    {
        var (services, stub) = Build();
        await using var _ = services;

        await services.Client().AddContactsAsync("l1", [new Contact { Phone = " +44 7911 123-456 " }, new Contact { Phone = "+1 (415) 555.2671" }]);

        Body(stub.Requests.Single()).Phones.Should().Equal("+447911123456", "+14155552671");
    }

    [Fact]
    public async Task With_Reject_the_invalid_contacts_are_reported_and_the_others_sent()
    {
        var (services, stub) = Build();
        await using var _ = services;
        Contact[] contacts = [TestHost.Contact(0), new Contact { FirstName = "No phone" }, TestHost.Contact(2), new Contact { Phone = "555" }];

        var result = await services.Client().AddContactsAsync("l1", contacts, new BulkOptions { InvalidContacts = InvalidContactHandling.Reject });

        Body(stub.Requests.Single()).Phones.Should().Equal(contacts[0].Phone, contacts[2].Phone);
        result.Rejected.Select(r => (r.Index, r.Field, r.ByProvider)).Should().Equal((1L, "Phone", false), (3L, "Phone", false));
        result.Rejected[0].Reason.Should().Be("Phone is required");
        result.Rejected[1].Contact.Should().BeSameAs(contacts[3]);
        result.AcceptedForProcessing.Should().Be(2);
        result.Read.Should().Be(4);
    }

    [Fact]
    public async Task In_a_stream_an_invalid_contact_stops_the_operation_and_reports_what_was_sent_before()
    {
        var (services, stub) = Build();
        await using var _ = services;

        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", Stream(Contacts(3).Append(new Contact()).Concat(Contacts(2))), new BulkOptions { BatchSize = 2 }))
            .Should().ThrowAsync<ContactListBulkException>("requests were sent, so the failure is a ContactListException")).Which;

        error.InnerException.Should().BeOfType<ContactListValidationException>().Which.ContactIndex.Should().Be(3);
        stub.Requests.Should().HaveCount(1);
        error.Result.AcceptedForProcessing.Should().Be(2);
        error.Result.NotSent.Select(n => (n.Index, n.Reason)).Should().Equal((2L, NotSentReason.Stopped), (3L, NotSentReason.Stopped));
        error.Result.InputExhausted.Should().BeFalse();
        error.Result.Read.Should().Be(4);
    }

    [Fact]
    public async Task A_failed_batch_stops_the_operation_and_every_contact_read_is_accounted_for()
    {
        var (services, stub) = Build(attempt => attempt == 2 ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.Accepted);
        await using var _ = services;
        var contacts = Contacts(7);

        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", Stream(contacts), new BulkOptions { BatchSize = 2 }))
            .Should().ThrowAsync<ContactListBulkException>()).Which;

        var result = error.Result;
        error.InnerException.Should().BeOfType<ContactListRequestRejectedException>();
        error.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        stub.Requests.Should().HaveCount(2);
        result.AcceptedForProcessing.Should().Be(2);
        result.NotSent.Select(n => (n.Index, n.Reason, n.BatchIndex)).Should().Equal(
            (2L, NotSentReason.BatchFailed, 1), (3L, NotSentReason.BatchFailed, 1),
            (4L, NotSentReason.Stopped, 2), (5L, NotSentReason.Stopped, 2));
        result.Batches.Select(b => b.Status).Should().Equal(BatchStatus.AcceptedForProcessing, BatchStatus.Failed);
        result.Read.Should().Be(6, "the next batch was read while batch 1 was in flight, and was not sent; input position 6 on was never read");
        result.InputExhausted.Should().BeFalse();
        result.IsComplete.Should().BeFalse();
        (result.Accepted + result.AcceptedForProcessing + result.Rejected.Count + result.NotSent.Count).Should().Be(result.Read);
    }

    [Fact]
    public async Task With_ContinueOnError_the_other_batches_are_still_sent()
    {
        var (services, stub) = Build(attempt => attempt == 2 ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.Accepted);
        await using var _ = services;

        var result = await services.Client().AddContactsAsync("l1", Contacts(7), new BulkOptions { BatchSize = 2, ContinueOnError = true });

        stub.Requests.Should().HaveCount(4);
        result.AcceptedForProcessing.Should().Be(5);
        result.NotSent.Select(n => n.Index).Should().Equal(2L, 3L);
        result.Batches[1].Error.Should().BeOfType<ContactListRequestRejectedException>();
        result.InputExhausted.Should().BeTrue();
        result.IsComplete.Should().BeFalse();
    }

    [Fact]
    public async Task Cancellation_mid_stream_reports_what_was_sent_and_what_was_not()
    {
        var (services, stub) = Build();
        await using var _ = services;
        using var cancel = new CancellationTokenSource();

        var error = (await FluentActions.Awaiting(() => services.Client().AddContactsAsync("l1", Stream(Contacts(10), afterYielding: 5, then: cancel.Cancel), new BulkOptions { BatchSize = 2 }, cancel.Token))
            .Should().ThrowAsync<ContactListBulkCanceledException>()).Which;

        var result = error.Result;
        stub.Requests.Should().HaveCount(2);
        result.AcceptedForProcessing.Should().Be(4);
        result.NotSent.Should().ContainSingle().Which.Should().Match<NotSentContact>(n => n.Index == 4 && n.Reason == NotSentReason.Cancelled);
        result.Read.Should().Be(5);
        result.InputExhausted.Should().BeFalse();
        error.CancellationToken.Should().Be(cancel.Token);
    }

    [Fact]
    public async Task Progress_is_reported_after_every_batch()
    {
        var (services, _) = Build();
        await using var __ = services;
        var reports = new List<BulkProgress>();

        await services.Client().AddContactsAsync("l1", Contacts(5), new BulkOptions { BatchSize = 2, Progress = new SynchronousProgress<BulkProgress>(reports.Add) });

        reports.Select(r => (r.Sent, r.AcceptedForProcessing, r.BatchesCompleted)).Should().Equal((2L, 2L, 1), (4L, 4L, 2), (5L, 5L, 3));
    }

    [Fact]
    public async Task OnProgress_sees_every_report_before_the_call_returns_with_the_total_of_a_projection()
    {
        var (services, _) = Build();
        await using var __ = services;
        var reports = new List<BulkProgress>();
        var customers = Enumerable.Range(0, 5).ToList();

        // customers.Select(...) is not a collection, but it can say its count without being read.
        var result = await services.Client().AddContactsAsync("l1", customers.Select(TestHost.Contact), new BulkOptions { BatchSize = 2, OnProgress = reports.Add });

        reports.Should().HaveCount(3, "the last report was made before the call returned");
        reports.Should().OnlyContain(r => r.Total == 5);
        reports[^1].AcceptedForProcessing.Should().Be(result.AcceptedForProcessing);
        reports[0].EstimatedRemaining.Should().NotBeNull();
    }

    [Fact]
    public async Task A_stream_has_the_total_the_caller_gives_and_none_otherwise()
    {
        var (services, _) = Build();
        await using var __ = services;
        var given = new List<BulkProgress>();
        var none = new List<BulkProgress>();

        await services.Client().AddContactsAsync("l1", Stream(Contacts(3)), new BulkOptions { BatchSize = 2, OnProgress = given.Add, ExpectedTotal = 3 });
        await services.Client().AddContactsAsync("l1", Stream(Contacts(3)), new BulkOptions { BatchSize = 2, OnProgress = none.Add });
        var refused = () => services.Client().AddContactsAsync("l1", Contacts(1), new BulkOptions { ExpectedTotal = -1 });

        given.Should().OnlyContain(r => r.Total == 3);
        none.Should().OnlyContain(r => r.Total == null && r.EstimatedRemaining == null);
        await refused.Should().ThrowAsync<ContactListValidationException>().WithMessage("*ExpectedTotal*");
    }

    private static async IAsyncEnumerable<Contact> Stream(IEnumerable<Contact> contacts, int afterYielding = int.MaxValue, Action? then = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var yielded = 0;
        foreach (var contact in contacts)
        {
            await Task.Yield();
            if (yielded++ == afterYielding)
            {
                then?.Invoke();
                cancellationToken.ThrowIfCancellationRequested();
            }

            yield return contact;
        }
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
