using System.Text;
using System.Text.Json;

namespace ContactLists.Http;

/// <summary>Builds <see cref="ContactListUnexpectedAnswerException"/>s with the same facts wherever an answer is found wanting.</summary>
internal static class UnexpectedAnswers
{
    /// <summary>How much of an unexpected body an exception quotes.</summary>
    internal const int ExcerptChars = 2048;

    public static ContactListUnexpectedAnswerException Create(
        ProviderHttpProfile profile, HttpRequestMessage? request, HttpResponseMessage response, UnexpectedAnswerProblem problem, byte[]? body, string what, Exception? inner = null)
    {
        var method = request?.Method ?? response.RequestMessage?.Method;
        var path = request is not null ? RequestFacts.PathOf(request) : response.RequestMessage is { } sent ? RequestFacts.PathOf(sent) : "(unknown)";
        var isRead = method == HttpMethod.Get;
        var requestId = RequestId(response, profile.RequestIdHeaders);
        var text = new StringBuilder()
            .Append(profile.ProviderName).Append(" answered ").Append((int)response.StatusCode).Append(" to ").Append(method).Append(' ').Append(path)
            .Append(", but not with its documented answer: ").Append(what).Append('.');
        if (requestId is not null)
        {
            text.Append(" Request id: ").Append(requestId).Append('.');
        }

        text.Append(isRead
            ? " Nothing was changed."
            : " The provider may have applied the request; nothing is counted as done.");
        return new ContactListUnexpectedAnswerException(
            text.ToString(),
            new ProviderError(profile.ProviderName, response.StatusCode, requestId, Excerpt(body), []),
            problem,
            inner)
        {
            MayHaveBeenApplied = !isRead,
        };
    }

    /// <summary>
    /// A redirect answered to <paramref name="request"/>, which the SDK does not follow: names the provider, the status
    /// and the host the redirect points to (<paramref name="locationHost"/>), never the rest of the address.
    /// </summary>
    public static ContactListUnexpectedAnswerException Redirected(ProviderHttpProfile profile, HttpRequestMessage request, HttpResponseMessage response, string locationHost, string? how = null)
    {
        var isRead = request.Method == HttpMethod.Get;
        var requestId = RequestId(response, profile.RequestIdHeaders);
        var text = new StringBuilder()
            .Append(profile.ProviderName).Append(" answered ").Append((int)response.StatusCode).Append(' ').Append(response.ReasonPhrase ?? response.StatusCode.ToString())
            .Append(" to ").Append(request.Method).Append(' ').Append(RequestFacts.PathOf(request))
            .Append(", a redirect to ").Append(locationHost).Append(". ")
            .Append(how ?? "The SDK does not follow redirects: the request's credentials and data would go with it")
            .Append(". Check the account's BaseAddress (the provider's documented address).");
        if (requestId is not null)
        {
            text.Append(" Request id: ").Append(requestId).Append('.');
        }

        text.Append(isRead ? " Nothing was changed." : " Nothing is counted as done.");
        return new ContactListUnexpectedAnswerException(
            text.ToString(),
            new ProviderError(profile.ProviderName, response.StatusCode, requestId, null, []),
            UnexpectedAnswerProblem.Redirected)
        {
            // A redirect says the request was not handled here; a write is still not counted as done.
            MayHaveBeenApplied = !isRead,
        };
    }

    /// <summary>The start of a body, as text, at most <see cref="ExcerptChars"/> characters.</summary>
    public static string? Excerpt(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, ExcerptChars * 4));
        return text.Length <= ExcerptChars ? text : text[..ExcerptChars] + "…";
    }

    public static string? RequestId(HttpResponseMessage response, IReadOnlyList<string> headers) => RequestId(response.Headers, headers);

    public static string? RequestId(System.Net.Http.Headers.HttpResponseHeaders responseHeaders, IReadOnlyList<string> headers)
    {
        foreach (var header in headers)
        {
            if (responseHeaders.TryGetValues(header, out var values))
            {
                return string.Join(",", values);
            }
        }

        return null;
    }

    /// <summary>
    /// Refit's hook for a body that does not deserialize into the wire type (a wrong shape, a missing required
    /// field): the same typed exception, quoting the body the pipeline already buffered.
    /// </summary>
    public static async ValueTask<Exception?> FromDeserializationFailure(ProviderHttpProfile profile, HttpResponseMessage response, Exception exception)
    {
        byte[]? body = null;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            // The excerpt is a courtesy; the failure is reported without it.
        }

        var problem = body is null || body.AsSpan().Trim(" \t\r\n"u8).IsEmpty ? UnexpectedAnswerProblem.Empty : UnexpectedAnswerProblem.UnexpectedShape;
        var what = problem == UnexpectedAnswerProblem.Empty ? "its body is empty" : "its body does not have the documented shape (" + Describe(exception) + ")";
        return Create(profile, response.RequestMessage, response, problem, body, what, exception);
    }

    private static string Describe(Exception exception)
        => exception is JsonException { Path: { } path } ? $"at {path}" : exception.GetType().Name;

    /// <summary>
    /// The content of a Refit <see cref="Refit.IApiResponse{T}"/> whose body is documented, or the typed exception
    /// (with status and request id) when it is missing or did not deserialize.
    /// </summary>
    public static T RequireContent<T>(ProviderHttpProfile profile, Refit.IApiResponse<T> response, string what)
        where T : class
    {
        if (response.Error is null && response.Content is { } content)
        {
            return content;
        }

        throw ShapeOf(profile, response, what, response.Error);
    }

    /// <summary>An answer that parsed but whose content is not what the provider documents (a missing message, an id of 0).</summary>
    public static ContactListUnexpectedAnswerException ShapeOf(ProviderHttpProfile profile, Refit.IApiResponse response, string what, Exception? inner = null)
    {
        var method = response.RequestMessage?.Method;
        var path = response.RequestMessage is { } request ? RequestFacts.PathOf(request) : "(unknown)";
        var isRead = method == HttpMethod.Get;
        var requestId = response.Headers is null ? null : RequestId(response.Headers, profile.RequestIdHeaders);
        return new ContactListUnexpectedAnswerException(
            $"{profile.ProviderName} answered {(int?)response.StatusCode} to {method} {path}, but not with its documented answer: {what}." +
            (requestId is null ? string.Empty : $" Request id: {requestId}.") +
            (isRead ? " Nothing was changed." : " The provider may have applied the request; nothing is counted as done."),
            new ProviderError(profile.ProviderName, response.StatusCode, requestId, null, []),
            UnexpectedAnswerProblem.UnexpectedShape,
            inner)
        {
            MayHaveBeenApplied = !isRead,
        };
    }

    /// <summary>An answer whose content the adapter found wanting after it was parsed (a missing id, a count that is not there).</summary>
    public static ContactListUnexpectedAnswerException Shape(string provider, string call, string what, bool isWrite)
        => new(
            $"{provider}'s answer to {call} did not have the documented shape: {what}." + (isWrite ? " The provider may have applied the request; nothing is counted as done." : string.Empty),
            new ProviderError(provider, null, null, null, []),
            UnexpectedAnswerProblem.UnexpectedShape)
        {
            MayHaveBeenApplied = isWrite,
        };
}
