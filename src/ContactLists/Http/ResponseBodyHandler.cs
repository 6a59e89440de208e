using ContactLists.Retries;
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

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // Inside the attempt: one count per request the pipeline sends (see Failures).
        if (request.Options.TryGetValue(Failures.AttemptsKey, out var attempts))
        {
            attempts.Add();
        }

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
                var quoted = await QuoteAsync(response, UnexpectedAnswers.ExcerptChars, cancellationToken).ConfigureAwait(false);
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
