using ContactLists.Emulator;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Issue 31: a call answered with something that will not change ends in a typed error within the pipeline's
/// attempts (4 requests) and within its total timeout (30 s, on the virtual clock), on every provider: a wrong 200 to
/// the add (HTML, empty, malformed, truncated, the wrong shape, a JSON array, an error object, a gzip body nobody asked
/// for, a 200 KB header), a body that trickles, and such a 200 from the OAuth2 token endpoint. The batch layer does not send again what the pipeline's attempts already saw.
/// </summary>
public sealed class BoundedCallTests
{
    private static readonly TimeSpan Total = TimeSpan.FromSeconds(30);

    public static TheoryData<string, EmulatorFault> WrongAnswers()
    {
        var cases = new TheoryData<string, EmulatorFault>();
        foreach (var provider in ReliabilityTarget.All.Keys)
        {
            foreach (var fault in new[] { EmulatorFault.HtmlPage, EmulatorFault.EmptyBody, EmulatorFault.MalformedJson, EmulatorFault.TruncatedBody, EmulatorFault.WrongShapeJson, EmulatorFault.JsonArray, EmulatorFault.ErrorObject, EmulatorFault.UnaskedGzip, EmulatorFault.HugeHeader, EmulatorFault.SlowBody })
            {
                cases.Add(provider, fault);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(WrongAnswers))]
    public async Task An_add_answered_with_what_will_not_change_ends_typed_within_four_requests_and_the_total_timeout(string provider, EmulatorFault fault)
    {
        var (requests, elapsed) = await AddUnderAsync(provider, fault, token: false);

        requests.Should().BeInRange(1, 4, $"{provider} under {fault}: the pipeline's attempts, no more ");
        elapsed.Should().BeLessThanOrEqualTo(Total + TimeSpan.FromSeconds(2));
    }

    public static TheoryData<string, EmulatorFault> WrongTokenAnswers()
    {
        var cases = new TheoryData<string, EmulatorFault>();
        foreach (var provider in new[] { "Movio", "Messengeo" })
        {
            foreach (var fault in new[] { EmulatorFault.HtmlPage, EmulatorFault.EmptyBody, EmulatorFault.MalformedJson, EmulatorFault.WrongShapeJson, EmulatorFault.JsonArray, EmulatorFault.ErrorObject, EmulatorFault.UnaskedGzip, EmulatorFault.HugeHeader, EmulatorFault.SlowBody })
            {
                cases.Add(provider, fault);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(WrongTokenAnswers))]
    public async Task A_token_endpoint_answering_what_will_not_change_ends_the_call_typed_within_four_token_requests(string provider, EmulatorFault fault)
    {
        var (requests, elapsed) = await AddUnderAsync(provider, fault, token: true);

        requests.Should().BeInRange(1, 4, $"{provider}'s token endpoint under {fault}: the token pipeline's attempts, not multiplied by the API's ");
        elapsed.Should().BeLessThanOrEqualTo(Total + TimeSpan.FromSeconds(2));
    }

    /// <summary>
    /// Adds 3 contacts with every API (or every token) request answered with <paramref name="fault"/>, checks that what
    /// came back is true (a typed error, or contacts counted accepted only when the list holds them: a trickling answer
    /// comes after the write was applied), and returns the requests that got the fault and the virtual time taken.
    /// </summary>
    private static async Task<(int Requests, TimeSpan Elapsed)> AddUnderAsync(string provider, EmulatorFault fault, bool token)
    {
        var target = ReliabilityTarget.All[provider];
        await using var clock = new VirtualClock(TimeSpan.FromMilliseconds(100));
        var faults = new EmulatorFaults { Seed = 3, Kinds = [fault], SlowBodyByteInterval = TimeSpan.FromSeconds(1) };
        // The default timeouts (10 s an attempt, 30 s a call), on the virtual clock.
        await using var run = await target.StartAsync(clock, faults, r =>
        {
            r.AttemptTimeout.Timeout = TimeSpan.FromSeconds(10);
            r.TotalRequestTimeout.Timeout = Total;
        });
        var listId = await target.CreateListAsync(run.Client, run.Emulator, "Bounded");
        if (token)
        {
            // A new token is needed: the one the list create used has expired.
            clock.Advance(TimeSpan.FromDays(1));
            faults.Where = t => t.Path.EndsWith("token", StringComparison.Ordinal);
        }

        faults.Rate = 1;
        var before = faults.Injected.Count;
        var started = clock.GetUtcNow();
        Exception? thrown = null;
        BulkResult? result = null;
        try
        {
            result = await run.Client.AddContactsAsync(listId, Enumerable.Range(10, 3).Select(target.Contact), new BulkOptions { ContinueOnError = true });
        }
        catch (Exception ex)
        {
            thrown = ex;
        }

        var elapsed = clock.GetUtcNow() - started;
        if (thrown is not null)
        {
            thrown.Should().BeAssignableTo<ContactListException>();
        }
        else
        {
            (result!.NotSent.Count + result.Rejected.Count + result.Accepted + result.AcceptedForProcessing).Should().Be(3, "every contact is accounted for");
            faults.Rate = 0;
            target.Members(run.Emulator, listId).Count.Should().BeGreaterThanOrEqualTo((int)(result.Accepted + result.AcceptedForProcessing), "a contact is counted accepted only when it was");
        }

        return (faults.Injected.Count - before, elapsed);
    }
}
