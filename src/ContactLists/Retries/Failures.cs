using ContactLists.Http;
using System.Net;
using Polly;
using Polly.Timeout;

namespace ContactLists.Retries;

/// <summary>
/// The one place that decides what a failure means, asked by every layer: the HTTP pipeline (is this attempt worth
/// another?), the batch layer of a bulk call (is this batch worth sending again?), and the loops that record a failure
/// on one contact and go on (is it this contact's, or the call's?). Three questions, one classification:
/// <list type="bullet">
/// <item>can it heal: a 429, a 503, a reset, a timeout of one attempt, an answer that broke off, a circuit that will close;</item>
/// <item>may the request have been applied (<see cref="ContactListException.MayHaveBeenApplied"/>), and so may it be repeated;</item>
/// <item>has a pipeline already spent its attempts on it (<see cref="ContactListException.Settled"/>): then no outer layer repeats it.</item>
/// </list>
/// An answer that is simply wrong (not the provider's: HTML, malformed, the wrong shape, too large, a redirect) is
/// retried by the pipeline's attempts where the request may be repeated, and never again above it. Modelled on
/// Azure.Core's <c>ResponseClassifier</c> and Polly's outcome predicates.
/// </summary>
internal static class Failures
{
    /// <summary>The key under which a request counts the attempts the pipeline made of it.</summary>
    internal static readonly HttpRequestOptionsKey<AttemptCount> AttemptsKey = new("ContactLists.Attempts");

    /// <summary>
    /// The pipeline's question: another attempt of this request? A transient failure (408, 429, 5xx, a connection
    /// failure, an attempt's timeout, an answer that broke off or is not the provider's) is tried again only when
    /// repeating is safe: a <paramref name="repeatable"/> request always; any other only when it cannot have been
    /// processed (a connection that never opened, or a 429: the provider refused it unprocessed). A wait asked for
    /// (<paramref name="waitAsked"/>) beyond <paramref name="maxRetryAfter"/> is not waited for: the 429 surfaces with
    /// its hint. A failure another pipeline settled (the token endpoint's, met while a request fetched its token) is
    /// never repeated here: its own attempts were spent.
    /// </summary>
    public static bool RetryAttempt(Outcome<HttpResponseMessage> outcome, bool repeatable, TimeSpan maxRetryAfter, Func<HttpResponseMessage, TimeSpan?> waitAsked)
    {
        if (outcome.Exception is null)
        {
            if (outcome.Result is not { } response)
            {
                return false;
            }

            var status = response.StatusCode;
            var transient = status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
            if (!transient || (!repeatable && status != HttpStatusCode.TooManyRequests))
            {
                return false;
            }

            return waitAsked(response) is not { } wait || wait <= maxRetryAfter;
        }

        switch (outcome.Exception)
        {
            case ContactListException { Settled: true }:
                return false;
            // A body that broke off, or an HTML page from something in front of the provider: try again when repeating is harmless.
            case ContactListUnexpectedAnswerException answer:
                // A body over the cap, or a redirect, would come back the same.
                return repeatable && answer.Problem is not (UnexpectedAnswerProblem.TooLarge or UnexpectedAnswerProblem.Redirected);
            case HttpRequestException http:
                return repeatable || RequestFacts.NeverReachedServer(http);
            // The stack sometimes lets a reset through unwrapped.
            case IOException or System.Net.Sockets.SocketException:
                return repeatable;
            case TimeoutRejectedException:
                return repeatable;
            default:
                return false;
        }
    }

    /// <summary>
    /// The batch layer's question: send this batch (or these contacts of it) again? Only a failure that can heal and
    /// that the pipeline could not repeat itself: a write that may have reached the provider (the neutral add or remove
    /// it belongs to may be repeated; the pipeline cannot know that), answered by a reset, a lost answer or a 5xx. Not a
    /// wrong answer, not a timeout (the call's time is spent), not a 429 (the pipeline waited and tried), not anything
    /// the pipeline already tried again: those end the batch with a typed error, and the next run sends what is left.
    /// </summary>
    public static bool ResendBatch(Exception error) => error is ContactListTransientException { CircuitOpenFor: null } transient
        && transient.Attempts <= 1
        && transient.InnerException is not (TimeoutRejectedException or OperationCanceledException);

    /// <summary>The batch layer's other question: wait for an open circuit breaker, then send again? (Nothing was sent.)</summary>
    public static TimeSpan? WaitForCircuit(Exception error)
        => error is ContactListTransientException { CircuitOpenFor: { } wait, MayHaveBeenApplied: false } ? wait : null;

    /// <summary>
    /// The loops that resolve, update or add contacts ask: is this failure surely this contact's (record it on the
    /// contact and go on), whatever else the call met? Yes when the provider refused or does not know it (4xx), or its
    /// one request failed in a way the batch layer may repeat (<see cref="ResendBatch"/>). Any other failure (an open
    /// circuit, a wrong answer, an authentication failure, a 429 it could not wait out, a timeout, attempts spent) ends
    /// a call that has had no answer yet; <see cref="OneByOneRequests"/> decides for one request among answered ones.
    /// </summary>
    public static bool IsContactsOwn(ContactListException error)
        => error is ContactListNotFoundException or ContactListRequestRejectedException || ResendBatch(error);

    /// <summary>
    /// A failure that is the call's by nature, whatever came before it: every other request of the call would meet it
    /// too (a refused credential, an open circuit, a rate limit the pipeline could not wait out). Other failures of one
    /// request among many answered ones (a wrong answer, attempts spent on resets) may be that request's bad luck
    /// (<see cref="OneByOneRequests"/>).
    /// </summary>
    public static bool IsCallWide(ContactListException error)
        => error is ContactListAuthenticationException or ContactListRateLimitedException or ContactListTransientException { CircuitOpenFor: not null };

    /// <summary>Marks a failure as having left the pipeline, with the attempts it made of <paramref name="request"/> (once: the innermost pipeline's count stands).</summary>
    public static TException Settle<TException>(TException error, HttpRequestMessage request)
        where TException : ContactListException
    {
        if (!error.Settled)
        {
            error.Settled = true;
            error.Attempts = request.Options.TryGetValue(AttemptsKey, out var count) ? count.Value : 1;
        }

        return error;
    }

    /// <summary>The attempts the pipeline made of one request.</summary>
    internal sealed class AttemptCount
    {
        private int _value;

        public int Value => Volatile.Read(ref _value);

        public void Add() => Interlocked.Increment(ref _value);
    }
}
