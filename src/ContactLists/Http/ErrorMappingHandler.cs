using ContactLists.Retries;
using System.Net;
using System.Text;
using Microsoft.Extensions.Logging;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace ContactLists.Http;

/// <summary>
/// The outermost piece of every provider's pipeline: turns a final failure (after retries) into the typed
/// <see cref="ContactListException"/> subclasses, with status, request id, the provider's error body and its parsed
/// messages. Messages name the method and path only: never headers, never the query string.
/// </summary>
internal sealed partial class ErrorMappingHandler(ProviderHttpProfile profile, TimeProvider timeProvider, ILogger logger, Func<TimeSpan>? breakDuration = null) : DelegatingHandler
{
    /// <summary>Error bodies are kept up to this many characters.</summary>
    internal const int MaxErrorBodyChars = 64 * 1024;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        profile.CheckRequest?.Invoke(request);
        // Each attempt below counts itself here, so that the failure this handler passes on says how many were made.
        request.Options.Set(Failures.AttemptsKey, new Failures.AttemptCount());
        HttpResponseMessage response;
        var started = timeProvider.GetTimestamp();
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested || SendingStop.IsAbandoned(ex))
        {
            // Cancelled by the caller, or abandoned unsent because its bulk call is stopping: not a provider failure.
            throw;
        }
        catch (ContactListException ex)
        {
            // Typed below (an answer that was not the provider's), or by another pipeline (the token endpoint's).
            throw Failures.Settle(ex, request);
        }
        catch (Exception ex) when (ex is not ContactListException)
        {
            // Whatever the layers below throw (HttpRequestException, a raw IOException or SocketException from the
            // stack, a timeout, an open breaker), the caller gets a ContactListException.
            var neverSent = ex is BrokenCircuitException || (ex is HttpRequestException http && RequestFacts.NeverReachedServer(http));
            var isRead = request.Method == HttpMethod.Get;
            var reason = ex switch
            {
                TimeoutRejectedException or OperationCanceledException => "the request timed out",
                BrokenCircuitException => "the circuit breaker is open after repeated failures, so the request was not sent",
                HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the provider's host name did not resolve, so the request never reached it",
                _ when neverSent => "the connection was refused, so the request never reached the provider",
                HttpRequestException or IOException or System.Net.Sockets.SocketException => "the connection failed",
                _ => $"the request failed ({ex.GetType().Name})",
            };
            LogNoResponse(logger, profile.ProviderName, request.Method.Method, RequestFacts.PathOf(request), reason);
            var outcome = neverSent || isRead
                ? string.Empty
                : profile.IsRepeatable(request)
                    ? " The request may have reached the provider; it was repeated as often as allowed."
                    : " The request may have reached the provider, so it was not repeated.";
            throw Failures.Settle(
                new ContactListTransientException(
                    $"{profile.ProviderName}: no answer to {request.Method} {RequestFacts.PathOf(request)}: {reason}.{outcome}",
                    ProviderError.NoResponse(profile.ProviderName),
                    ex)
                {
                    MayHaveBeenApplied = !neverSent && !isRead,
                    CircuitOpenFor = ex is BrokenCircuitException ? breakDuration?.Invoke() ?? TimeSpan.FromSeconds(5) : null,
                },
                request);
        }

        if (response.IsSuccessStatusCode)
        {
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var path = RequestFacts.PathOf(request);
                var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
                LogSuccess(logger, profile.ProviderName, request.Method.Method, path, (int)response.StatusCode, elapsed);
            }

            return response;
        }

        using (response)
        {
            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var messages = body is null ? [] : SafeParse(body);
            var error = new ProviderError(
                profile.ProviderName,
                response.StatusCode,
                UnexpectedAnswers.RequestId(response, profile.RequestIdHeaders),
                body,
                messages,
                profile.ReadRateLimit(response));
            LogFailure(logger, profile.ProviderName, request.Method.Method, RequestFacts.PathOf(request), (int)response.StatusCode, error.RequestId);
            throw Failures.Settle(Map(request, response, error), request);
        }
    }

    private ContactListException Map(HttpRequestMessage request, HttpResponseMessage response, ProviderError error)
    {
        var status = (int)response.StatusCode;
        if (status is >= 300 and < 400)
        {
            return UnexpectedAnswers.Redirected(profile, request, response, Redirects.LocationHost(response));
        }

        var text = new StringBuilder()
            .Append(profile.ProviderName).Append(" answered ").Append(status).Append(' ').Append(response.ReasonPhrase ?? response.StatusCode.ToString())
            .Append(" to ").Append(request.Method).Append(' ').Append(RequestFacts.PathOf(request));
        if (error.Messages.Count > 0)
        {
            text.Append(": ").AppendJoin("; ", error.Messages);
        }

        // One full stop, also when the provider's own message ends with one ("Unauthenticated.").
        if (text[^1] is not ('.' or '!' or '?'))
        {
            text.Append('.');
        }
        if (error.RequestId is not null)
        {
            text.Append(" Request id: ").Append(error.RequestId).Append('.');
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                text.Append(" Check the client's credentials.");
                if (profile.AuthenticationHint is not null)
                {
                    text.Append(' ').Append(profile.AuthenticationHint);
                }

                return new ContactListAuthenticationException(text.ToString(), error);
            case HttpStatusCode.NotFound:
                return new ContactListNotFoundException(text.ToString(), error);
            case HttpStatusCode.TooManyRequests:
                var retryAfter = RetryDelays.FromResponse(response, profile, timeProvider);
                if (retryAfter is not null)
                {
                    text.Append(" The provider asked to wait ").Append(retryAfter.Value.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)).Append(" s.");
                }

                return new ContactListRateLimitedException(text.ToString(), error, retryAfter);
            case HttpStatusCode.RequestTimeout:
                return new ContactListTransientException(text.ToString(), error);
            case >= HttpStatusCode.InternalServerError:
                // A server error to a write does not say whether the write was applied before it failed.
                return new ContactListTransientException(text.ToString(), error) { MayHaveBeenApplied = request.Method != HttpMethod.Get && response.StatusCode != HttpStatusCode.ServiceUnavailable };
            case HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.ExpectationFailed or HttpStatusCode.UnprocessableEntity:
                return new ContactListRequestRejectedException(text.ToString(), error);
            default:
                return new ContactListException(text.ToString(), error);
        }
    }

    private IReadOnlyList<string> SafeParse(string body)
    {
        try
        {
            return profile.ParseErrorMessages(body);
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            // An error body that is not in the documented shape is still kept whole on the exception.
            return [];
        }
    }

    private static async Task<string?> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content is null)
        {
            return null;
        }

        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                var buffer = new char[MaxErrorBodyChars];
                var read = await reader.ReadBlockAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                return read == 0 ? null : new string(buffer, 0, read);
            }
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "{Provider} answered {StatusCode} to {Method} {Path} in {ElapsedMilliseconds:0} ms")]
    private static partial void LogSuccess(ILogger logger, string provider, string method, string path, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "{Provider} answered {StatusCode} to {Method} {Path} (request id {RequestId})")]
    private static partial void LogFailure(ILogger logger, string provider, string method, string path, int statusCode, string? requestId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "{Provider}: no answer to {Method} {Path}: {Reason}")]
    private static partial void LogNoResponse(ILogger logger, string provider, string method, string path, string reason);
}
