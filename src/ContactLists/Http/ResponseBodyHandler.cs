using System.Net;
using System.Text;
using System.Text.Json;

namespace ContactLists.Http;

/// <summary>
/// Reads every answer's body inside the attempt (so the attempt and total timeouts cover a body that trickles), up to
/// a cap (so a huge answer is refused without being read whole), and refuses a success answer that is not the
/// provider's: HTML, malformed or truncated JSON, or an empty body where one is documented. What it refuses surfaces
/// as <see cref="ContactListUnexpectedAnswerException"/>, which the retry strategy repeats for repeatable requests.
/// It sits inside the resilience handler, so it runs once per attempt.
/// </summary>
internal sealed class ResponseBodyHandler(ProviderHttpProfile profile, Func<HttpRequestMessage, ResponseCap> capOf, Func<ContactListClientOptions>? options = null, bool mayQuoteBody = true) : DelegatingHandler
{
    /// <summary>The caps of a provider client: <see cref="ContactListClientOptions.MaxPageResponseBytes"/> for reads, <see cref="ContactListClientOptions.MaxResponseBytes"/> for writes.</summary>
    public static (Func<HttpRequestMessage, ResponseCap> Caps, Func<ContactListClientOptions> Options) ClientCaps(Func<ContactListClientOptions> options)
        => (request =>
        {
            var settings = options();
            return request.Method == HttpMethod.Get
                ? new ResponseCap(settings.MaxPageResponseBytes, "ContactListClientOptions." + nameof(ContactListClientOptions.MaxPageResponseBytes))
                : new ResponseCap(settings.MaxResponseBytes, "ContactListClientOptions." + nameof(ContactListClientOptions.MaxResponseBytes));
        }, options);

    public ResponseBodyHandler(ProviderHttpProfile profile, (Func<HttpRequestMessage, ResponseCap> Caps, Func<ContactListClientOptions> Options) client)
        : this(profile, client.Caps, client.Options)
    {
    }

    /// <summary>Error bodies are kept up to this many bytes (the rest is not read).</summary>
    internal const int MaxErrorBodyBytes = 256 * 1024;

    /// <summary>How much of an unexpected body an exception quotes.</summary>
    internal const int ExcerptChars = 2048;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        try
        {
            if (!response.IsSuccessStatusCode)
            {
                // An error body is evidence, not data: keep its start, never wait for or hold more, and keep what
                // arrived when it breaks off (the status is the answer).
                Replace(response, await QuoteAsync(response, MaxErrorBodyBytes, cancellationToken).ConfigureAwait(false));
                return response;
            }

            var settings = options?.Invoke();
            if (!profile.IsDocumentedSuccess(request, response.StatusCode, settings))
            {
                var quoted = await QuoteAsync(response, ExcerptChars, cancellationToken).ConfigureAwait(false);
                throw Unexpected(request, response, UnexpectedAnswerProblem.UnexpectedStatus, quoted, $"the provider documents another success status for this call");
            }

            if (response.StatusCode == HttpStatusCode.NoContent)
            {
                Replace(response, []);
                return response;
            }

            var (cap, capName) = capOf(request);
            if (response.Content.Headers.ContentLength is { } declared && declared > cap)
            {
                throw Unexpected(request, response, UnexpectedAnswerProblem.TooLarge, null,
                    $"its body of {declared:N0} bytes is over the client's cap of {cap:N0} bytes ({capName}); it was not read");
            }

            byte[] body;
            bool over;
            try
            {
                (body, over) = await ReadAsync(response, cap, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                throw Unexpected(request, response, UnexpectedAnswerProblem.Truncated, null, "its body broke off before its end", ex);
            }

            if (over)
            {
                throw Unexpected(request, response, UnexpectedAnswerProblem.TooLarge, null,
                    $"its body is over the client's cap of {cap:N0} bytes ({capName}); reading stopped there");
            }

            Check(request, response, body, settings);
            Replace(response, body);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private void Check(HttpRequestMessage request, HttpResponseMessage response, byte[] body, ContactListClientOptions? settings)
    {
        var json = body.AsSpan();
        if (json.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            if (!profile.AllowsEmptyAnswer(request, response))
            {
                throw Unexpected(request, response, UnexpectedAnswerProblem.Empty, body, "its body is empty, where the provider documents one");
            }

            return;
        }

        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (mediaType is not null && !IsJsonOrPlainText(mediaType))
        {
            throw Unexpected(request, response, UnexpectedAnswerProblem.NotJson, body, $"its body is '{mediaType}', not JSON");
        }

        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            while (reader.Read())
            {
            }
        }
        catch (JsonException ex)
        {
            var problem = json[0] == (byte)'<' ? UnexpectedAnswerProblem.NotJson : UnexpectedAnswerProblem.MalformedJson;
            throw Unexpected(request, response, problem, body, problem == UnexpectedAnswerProblem.NotJson ? "its body is markup, not JSON" : "its body is not well-formed JSON", ex);
        }

        if (profile.CheckAnswer?.Invoke(request, response, body, settings) is { } wrong)
        {
            throw Unexpected(request, response, UnexpectedAnswerProblem.UnexpectedShape, body, wrong);
        }
    }

    private static bool IsJsonOrPlainText(string mediaType)
        => mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
        || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)
        // Some servers label JSON as text/plain; the body is still parsed and checked.
        || mediaType.Equals("text/plain", StringComparison.OrdinalIgnoreCase);


    private ContactListUnexpectedAnswerException Unexpected(HttpRequestMessage request, HttpResponseMessage response, UnexpectedAnswerProblem problem, byte[]? body, string what, Exception? inner = null)
        => UnexpectedAnswers.Create(profile, request, response, problem, mayQuoteBody ? body : null, what, inner);

    /// <summary>Reads at most <paramref name="cap"/> bytes to quote them; a body that breaks off is quoted as far as it came (or not at all).</summary>
    private static async Task<byte[]> QuoteAsync(HttpResponseMessage response, long cap, CancellationToken cancellationToken)
    {
        try
        {
            return (await ReadAsync(response, cap, cancellationToken).ConfigureAwait(false)).Body;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return [];
        }
    }

    /// <summary>
    /// Reads at most <paramref name="cap"/> bytes; says whether the body went on beyond them. A body of declared length
    /// is read straight into an array of its size (a small answer costs about its size); one of unknown length goes
    /// through pooled buffers and is copied once, at its end, into an array of its size.
    /// </summary>
    private static async ValueTask<(byte[] Body, bool Over)> ReadAsync(HttpResponseMessage response, long cap, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            if (response.Content.Headers.ContentLength is { } declared && declared <= cap)
            {
                var body = new byte[declared];
                var read = await stream.ReadAtLeastAsync(body, body.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (read < body.Length)
                {
                    throw new IOException($"The body ended after {read:N0} of its {declared:N0} declared bytes.");
                }

                // The declared length was read; a body that goes on beyond it is over what was declared.
                var probe = System.Buffers.ArrayPool<byte>.Shared.Rent(1);
                try
                {
                    return await stream.ReadAsync(probe.AsMemory(0, 1), cancellationToken).ConfigureAwait(false) == 0 ? (body, false) : (body, declared == cap);
                }
                finally
                {
                    System.Buffers.ArrayPool<byte>.Shared.Return(probe);
                }
            }

            return await ReadUnknownLengthAsync(stream, cap, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async ValueTask<(byte[] Body, bool Over)> ReadUnknownLengthAsync(Stream stream, long cap, CancellationToken cancellationToken)
    {
        var pool = System.Buffers.ArrayPool<byte>.Shared;
        var buffer = pool.Rent(4 * 1024);
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = pool.Rent((int)Math.Min((long)buffer.Length * 2, Math.Max(cap + 1, buffer.Length + 1)));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    pool.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return (buffer.AsSpan(0, length).ToArray(), false);
                }

                length += read;
                if (length > cap)
                {
                    return (buffer.AsSpan(0, (int)cap).ToArray(), true);
                }
            }
        }
        finally
        {
            pool.Return(buffer);
        }
    }

    private static void Replace(HttpResponseMessage response, byte[] body)
    {
        var original = response.Content;
        var buffered = new ByteArrayContent(body);
        // The raw values, as received: no parsing, and no allocation for the usual single value.
        foreach (var (name, values) in original.Headers.NonValidated)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
            {
                // Handed over parsed, so that it is neither formatted here nor parsed again by the reader.
                buffered.Headers.ContentType = original.Headers.ContentType;
                continue;
            }

            if (values.Count == 1)
            {
                buffered.Headers.TryAddWithoutValidation(name, values.ToString());
                continue;
            }

            foreach (var value in values)
            {
                buffered.Headers.TryAddWithoutValidation(name, value);
            }
        }

        buffered.Headers.ContentLength = body.Length;
        response.Content = buffered;
        original.Dispose();
    }
}

/// <summary>The most a handler reads of an answer's body, and the setting that says so (for messages).</summary>
/// <param name="Bytes">The cap.</param>
/// <param name="Setting">The setting's name.</param>
internal readonly record struct ResponseCap(long Bytes, string Setting);

/// <summary>Builds <see cref="ContactListUnexpectedAnswerException"/>s with the same facts wherever an answer is found wanting.</summary>
internal static class UnexpectedAnswers
{
    public static ContactListUnexpectedAnswerException Create(
        ProviderHttpProfile profile, HttpRequestMessage? request, HttpResponseMessage response, UnexpectedAnswerProblem problem, byte[]? body, string what, Exception? inner = null)
    {
        var method = request?.Method ?? response.RequestMessage?.Method;
        var path = request is not null ? ErrorMappingHandler.PathOf(request) : response.RequestMessage is { } sent ? ErrorMappingHandler.PathOf(sent) : "(unknown)";
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
            .Append(" to ").Append(request.Method).Append(' ').Append(ErrorMappingHandler.PathOf(request))
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

    /// <summary>The start of a body, as text, at most <see cref="ResponseBodyHandler.ExcerptChars"/> characters.</summary>
    public static string? Excerpt(byte[]? body)
    {
        if (body is null || body.Length == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, ResponseBodyHandler.ExcerptChars * 4));
        return text.Length <= ResponseBodyHandler.ExcerptChars ? text : text[..ResponseBodyHandler.ExcerptChars] + "…";
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
        var path = response.RequestMessage is { } request ? ErrorMappingHandler.PathOf(request) : "(unknown)";
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
