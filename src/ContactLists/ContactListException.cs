using System.Net;

namespace ContactLists;

/// <summary>
/// A provider refused or failed a request. Carries what a support ticket needs: the provider, the HTTP status,
/// the provider's request id and its error body. Never carries a credential.
/// </summary>
public class ContactListException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ContactListException() : this("The contact-list provider call failed.") { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ContactListException(string message) : this(message, null) { }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ContactListException(string message, Exception? innerException) : this(message, ProviderError.Unknown, innerException) { }

    /// <summary>Creates the exception from a provider's answer.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ContactListException(string message, ProviderError error, Exception? innerException = null) : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(error);
        Provider = error.Provider;
        StatusCode = error.StatusCode;
        RequestId = error.RequestId;
        ErrorBody = error.Body;
        ErrorMessages = error.Messages;
        RateLimit = error.RateLimit;
    }

    /// <summary>The provider's name, such as <c>Whippy</c>.</summary>
    public string Provider { get; }

    /// <summary>The HTTP status the provider answered with; <see langword="null"/> when no answer came (connection failure, timeout).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The provider's id for the request, from its response headers, when it sent one.</summary>
    public string? RequestId { get; }

    /// <summary>The provider's error body, as text (truncated to 64 KiB).</summary>
    public string? ErrorBody { get; }

    /// <summary>The error messages parsed from the provider's documented error body.</summary>
    public IReadOnlyList<string> ErrorMessages { get; }

    /// <summary>The rate-limit state the provider reported with the response, when it did.</summary>
    public RateLimitInfo? RateLimit { get; }

    /// <summary>
    /// Whether the provider may have applied the request even though the call failed: a write whose answer was lost
    /// (timeout, connection reset after sending), was a 5xx, or did not look like the provider's. <see langword="false"/>
    /// when the request is known not to have been applied (a read, a refused connection, an open circuit, a 4xx, a 429).
    /// </summary>
    public bool MayHaveBeenApplied { get; init; }

    /// <summary>
    /// How many requests the HTTP pipeline sent for this call before it gave up (its retries included), once the
    /// failure has left the pipeline; 0 while it has not (a failure found after the pipeline, such as an answer of the
    /// wrong shape). See <see cref="Retries.Failures"/>: what one pipeline settled, no other layer repeats.
    /// </summary>
    internal int Attempts { get; set; }

    /// <summary>Whether the failure has left a pipeline (see <see cref="Attempts"/>).</summary>
    internal bool Settled { get; set; }
}

/// <summary>What was wrong with an answer that was not an error status but not the provider's documented answer either.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<UnexpectedAnswerProblem>))]
public enum UnexpectedAnswerProblem
{
    /// <summary>The body was not JSON (for example an HTML page from a proxy or a captive portal).</summary>
    NotJson,

    /// <summary>The body claimed to be JSON but did not parse.</summary>
    MalformedJson,

    /// <summary>The body broke off before its end (the connection closed while it was read).</summary>
    Truncated,

    /// <summary>The body was empty where the provider documents one.</summary>
    Empty,

    /// <summary>The body was larger than the client's cap (<see cref="ContactListClientOptions.MaxResponseBytes"/>); it was not read whole.</summary>
    TooLarge,

    /// <summary>The body parsed but did not have the documented shape (a missing id, a missing field, a wrong type).</summary>
    UnexpectedShape,

    /// <summary>A success status other than the one the provider documents for this call.</summary>
    UnexpectedStatus,

    /// <summary>
    /// A redirect (3xx). The SDK never follows one: the request's credentials and body would go to whatever host the
    /// <c>Location</c> names. The message names that host (never the rest of the address).
    /// </summary>
    Redirected,
}

/// <summary>
/// The provider (or something in front of it) answered with a success status but not with the provider's documented
/// answer: HTML, malformed or truncated JSON, an empty or oversized body, a missing id. Nothing is counted as done on
/// such an answer. <see cref="ContactListException.ErrorBody"/> holds a bounded excerpt of the body (never a request header);
/// <see cref="ContactListException.MayHaveBeenApplied"/> says whether a write may have taken effect.
/// </summary>
public sealed class ContactListUnexpectedAnswerException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer (the body as a bounded excerpt).</param>
    /// <param name="problem">What was wrong with it.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ContactListUnexpectedAnswerException(string message, ProviderError error, UnexpectedAnswerProblem problem, Exception? innerException = null)
        : base(message, error, innerException)
    {
        Problem = problem;
    }

    /// <summary>What was wrong with the answer.</summary>
    public UnexpectedAnswerProblem Problem { get; }
}

/// <summary>The provider refused the credentials (HTTP 401) or the operation for these credentials (HTTP 403).</summary>
public sealed class ContactListAuthenticationException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer.</param>
    public ContactListAuthenticationException(string message, ProviderError error) : base(message, error) { }
}

/// <summary>The list or contact does not exist (HTTP 404).</summary>
public sealed class ContactListNotFoundException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer.</param>
    public ContactListNotFoundException(string message, ProviderError error) : base(message, error) { }
}

/// <summary>The provider refused the request's content (HTTP 400, 409, 417 or 422); sending it again will not help.</summary>
public sealed class ContactListRequestRejectedException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer.</param>
    public ContactListRequestRejectedException(string message, ProviderError error) : base(message, error) { }
}

/// <summary>The provider's rate limit was exceeded (HTTP 429) and the retries allowed did not get through.</summary>
public sealed class ContactListRateLimitedException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer.</param>
    /// <param name="retryAfter">How long the provider asked the caller to wait, when it said.</param>
    public ContactListRateLimitedException(string message, ProviderError error, TimeSpan? retryAfter) : base(message, error)
    {
        RetryAfter = retryAfter;
    }

    /// <summary>How long the provider asked the caller to wait, when it said.</summary>
    public TimeSpan? RetryAfter { get; }
}

/// <summary>
/// A transient failure: the provider answered 408 or 5xx, or no answer came (connection failure, timeout, open circuit)
/// after the retries allowed. Whether a write took effect is unknown when <see cref="ContactListException.StatusCode"/> is <see langword="null"/>.
/// </summary>
public sealed class ContactListTransientException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="error">The provider's answer, or <see cref="ProviderError.NoResponse"/>.</param>
    /// <param name="innerException">The cause, if any.</param>
    public ContactListTransientException(string message, ProviderError error, Exception? innerException = null) : base(message, error, innerException) { }

    /// <summary>
    /// Set when the request was not sent because the client's circuit breaker is open: how long it stays open.
    /// Nothing reached the provider; the same request can be sent again after this wait.
    /// </summary>
    public TimeSpan? CircuitOpenFor { get; init; }
}

/// <summary>
/// A list's members cannot all be read: the provider returned the first page of them and documents no way to ask for
/// the next (Whippy; see <see cref="ContactListCapabilities.GetContactsFirstPage"/>). Nothing was returned, so nothing
/// was silently cut. <see cref="Total"/> says how many members the list has.
/// </summary>
public sealed class ContactListPagingLimitException : ContactListException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What happened and what to do instead.</param>
    /// <param name="provider">The provider's name.</param>
    /// <param name="total">The members the list has.</param>
    /// <param name="readable">The members one page gave.</param>
    public ContactListPagingLimitException(string message, string provider, long total, int readable)
        : base(message, ProviderError.NoResponse(provider))
    {
        Total = total;
        Readable = readable;
    }

    /// <summary>The members the list has.</summary>
    public long Total { get; }

    /// <summary>The members one page gave (the most that can be read).</summary>
    public int Readable { get; }
}

/// <summary>
/// The SDK refused input before sending it: a missing or malformed id, or a contact without the field the provider
/// identifies contacts by. Names the contact's position in the input and the field.
/// </summary>
public sealed class ContactListValidationException : ArgumentException
{
    /// <summary>Creates the exception for an argument.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="paramName">The argument.</param>
    public ContactListValidationException(string message, string? paramName) : base(message, paramName) { }

    /// <summary>Creates the exception for a contact.</summary>
    /// <param name="provider">The provider the contact was meant for.</param>
    /// <param name="contactIndex">The contact's zero-based position in the input.</param>
    /// <param name="field">The field at fault, such as <c>Phone</c>.</param>
    /// <param name="reason">What is wrong with it.</param>
    public ContactListValidationException(string provider, long contactIndex, string field, string reason)
        : base($"Contact #{contactIndex} cannot be sent to {provider}: {field} {reason}", "contacts")
    {
        Provider = provider;
        ContactIndex = contactIndex;
        Field = field;
        Reason = reason;
    }

    /// <summary>The provider the input was meant for, when the failure concerns a contact.</summary>
    public string? Provider { get; }

    /// <summary>The zero-based position of the contact at fault in the input, when the failure concerns a contact.</summary>
    public long? ContactIndex { get; }

    /// <summary>The field at fault, such as <c>Phone</c>.</summary>
    public string? Field { get; }

    /// <summary>What is wrong with the field.</summary>
    public string? Reason { get; }
}

/// <summary>The provider does not offer this operation; see <see cref="IContactListClient.Capabilities"/>.</summary>
public sealed class ContactListOperationNotSupportedException : NotSupportedException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="provider">The provider's name.</param>
    /// <param name="operation">The operation, such as <c>MergeLists</c>.</param>
    /// <param name="detail">Why, or what to use instead.</param>
    public ContactListOperationNotSupportedException(string provider, string operation, string? detail = null)
        : base($"{provider} does not support {operation}." + (detail is null ? string.Empty : " " + detail))
    {
        Provider = provider;
        Operation = operation;
    }

    /// <summary>The provider's name.</summary>
    public string Provider { get; }

    /// <summary>The operation that is not supported.</summary>
    public string Operation { get; }
}
