using System.Net;
using ContactLists.Retries;
using Polly;
using Polly.Timeout;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Issue 31: each classification the one classifier (<see cref="Failures"/>) makes, for every layer that asks it: the
/// pipeline's next attempt, the batch layer's resend and circuit wait, and whether a failure is one contact's or the
/// whole call's. The behaviour these give end to end is in <see cref="BoundedCallTests"/> and the fault matrices.
/// </summary>
public sealed class FailureClassificationTests
{
    private static readonly ProviderError Error = new("Test", null, null, null, []);
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(20);

    public static TheoryData<string, HttpStatusCode, bool, TimeSpan?, bool> Answers() => new()
    {
        { "a 503 to a read", HttpStatusCode.ServiceUnavailable, true, null, true },
        { "a 503 to a create", HttpStatusCode.ServiceUnavailable, false, null, false },
        { "a 408 to a read", HttpStatusCode.RequestTimeout, true, null, true },
        { "a 429 to a create: refused unprocessed", HttpStatusCode.TooManyRequests, false, TimeSpan.FromSeconds(5), true },
        { "a 429 asking for longer than MaxRetryAfter", HttpStatusCode.TooManyRequests, true, TimeSpan.FromMinutes(5), false },
        { "a 400", HttpStatusCode.BadRequest, true, null, false },
        { "a 404", HttpStatusCode.NotFound, true, null, false },
        { "a 200", HttpStatusCode.OK, true, null, false },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void The_pipeline_tries_an_answer_again_only_when_it_can_heal_and_repeating_is_safe(string answer, HttpStatusCode status, bool repeatable, TimeSpan? wait, bool expected)
    {
        using var response = new HttpResponseMessage(status);

        Failures.RetryAttempt(Outcome.FromResult(response), repeatable, MaxRetryAfter, _ => wait).Should().Be(expected, answer);
    }

    public static TheoryData<string, Exception, bool, bool> Exceptions() => new()
    {
        { "a truncated body, repeatable", Unexpected(UnexpectedAnswerProblem.Truncated), true, true },
        { "HTML from a proxy, repeatable", Unexpected(UnexpectedAnswerProblem.NotJson), true, true },
        { "HTML from a proxy, a create", Unexpected(UnexpectedAnswerProblem.NotJson), false, false },
        { "a body over the cap: it would come back the same", Unexpected(UnexpectedAnswerProblem.TooLarge), true, false },
        { "a redirect: never followed, never repeated", Unexpected(UnexpectedAnswerProblem.Redirected), true, false },
        { "a reset, repeatable", new HttpRequestException("reset", new IOException("reset")), true, true },
        { "a reset after sending, a create", new HttpRequestException("reset", new IOException("reset")), false, false },
        { "a connection refused, a create: it never reached the server", new HttpRequestException(HttpRequestError.ConnectionError, "refused", new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.ConnectionRefused)), false, true },
        { "an attempt's timeout, repeatable", new TimeoutRejectedException(), true, true },
        { "an attempt's timeout, a create", new TimeoutRejectedException(), false, false },
        { "a failure the token endpoint's pipeline settled", new ContactListTransientException("token", Error) { Settled = true, Attempts = 4 }, true, false },
        { "anything else", new InvalidOperationException("bug"), true, false },
    };

    [Theory]
    [MemberData(nameof(Exceptions))]
    public void The_pipeline_tries_a_failure_again_only_when_it_can_heal_and_repeating_is_safe(string failure, Exception error, bool repeatable, bool expected)
        => Failures.RetryAttempt(Outcome.FromException<HttpResponseMessage>(error), repeatable, MaxRetryAfter, _ => null).Should().Be(expected, failure);

    [Fact]
    public void The_batch_layer_resends_only_a_write_the_pipeline_could_not_repeat()
    {
        Failures.ResendBatch(Transient(attempts: 1)).Should().BeTrue("a reset or a lost answer on a write's one attempt: the neutral add may be repeated");
        Failures.ResendBatch(Transient(attempts: 4)).Should().BeFalse("the pipeline already tried it four times");
        Failures.ResendBatch(Transient(attempts: 1, inner: new TimeoutRejectedException())).Should().BeFalse("the call's time is spent");
        Failures.ResendBatch(Transient(attempts: 1, circuit: TimeSpan.FromSeconds(5))).Should().BeFalse("an open circuit is waited out, not resent at once");
        Failures.ResendBatch(Unexpected(UnexpectedAnswerProblem.NotJson)).Should().BeFalse("a wrong answer will not change");
        Failures.ResendBatch(new ContactListRateLimitedException("429", Error, TimeSpan.FromMinutes(5))).Should().BeFalse("the pipeline waited and tried");
    }

    [Fact]
    public void The_batch_layer_waits_for_an_open_circuit_only_when_nothing_was_sent()
    {
        Failures.WaitForCircuit(Transient(attempts: 0, circuit: TimeSpan.FromSeconds(5))).Should().Be(TimeSpan.FromSeconds(5));
        Failures.WaitForCircuit(Transient(attempts: 0, circuit: TimeSpan.FromSeconds(5), applied: true)).Should().BeNull();
        Failures.WaitForCircuit(Transient(attempts: 1)).Should().BeNull();
    }

    [Fact]
    public void A_failure_is_a_contacts_own_when_the_provider_refused_that_contact_or_its_one_write_may_be_repeated()
    {
        Failures.IsContactsOwn(new ContactListNotFoundException("404", Error)).Should().BeTrue();
        Failures.IsContactsOwn(new ContactListRequestRejectedException("400", Error)).Should().BeTrue();
        Failures.IsContactsOwn(Transient(attempts: 1)).Should().BeTrue();
        Failures.IsContactsOwn(Transient(attempts: 4)).Should().BeFalse("attempts spent: it may be the call's");
        Failures.IsContactsOwn(Unexpected(UnexpectedAnswerProblem.MalformedJson)).Should().BeFalse("a wrong answer may be every request's");
    }

    [Fact]
    public void A_failure_is_the_calls_by_nature_when_every_other_request_would_meet_it()
    {
        Failures.IsCallWide(new ContactListAuthenticationException("401", Error)).Should().BeTrue();
        Failures.IsCallWide(new ContactListRateLimitedException("429", Error, TimeSpan.FromMinutes(5))).Should().BeTrue();
        Failures.IsCallWide(Transient(attempts: 0, circuit: TimeSpan.FromSeconds(5))).Should().BeTrue();
        Failures.IsCallWide(Unexpected(UnexpectedAnswerProblem.MalformedJson)).Should().BeFalse("one request's bad luck, once others were answered");
        Failures.IsCallWide(Transient(attempts: 4)).Should().BeFalse();
    }

    private static ContactListUnexpectedAnswerException Unexpected(UnexpectedAnswerProblem problem) => new("bad answer", Error, problem);

    private static ContactListTransientException Transient(int attempts, Exception? inner = null, TimeSpan? circuit = null, bool applied = false)
        => new("transient", Error, inner) { Attempts = attempts, Settled = attempts > 0, CircuitOpenFor = circuit, MayHaveBeenApplied = applied };
}
