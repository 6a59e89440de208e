using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ContactLists.Emulator;

/// <summary>
/// The envelope every module's request goes through, written once: the body read (JSON or form), the module's own
/// checks (credentials, limits, malformed bodies: the first answer given wins), the answer made under the module's
/// lock, and the request logged with the status answered. What each step answers stays the module's: its provider's
/// auth scheme, rate-limit headers and error shapes.
/// </summary>
/// <param name="provider">The provider, as the log names it.</param>
/// <param name="prefix">The module's path prefix, left out of the logged path.</param>
/// <param name="options">The emulator's settings (its clock).</param>
/// <param name="log">The emulator's request log.</param>
/// <param name="gate">The module's lock: its state is changed and read under it only.</param>
/// <param name="logQuery">Whether the logged path keeps the query (for providers whose operation is in the query).</param>
internal sealed class ModuleRequests(string provider, string prefix, EmulatorOptions options, EmulatorRequestLog log, object gate, bool logQuery = false)
{
    /// <summary>Reads a request's body as JSON; <see langword="null"/> when it is empty or not JSON (each module answers that in its own error shape, after authentication).</summary>
    /// <param name="http">The request.</param>
    public static async Task<JsonNode?> ReadJsonAsync(HttpContext http)
    {
        try
        {
            return await JsonNode.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Reads a request's form; an empty form when the body is not one.</summary>
    /// <param name="http">The request.</param>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext http)
        => http.Request.HasFormContentType ? await http.Request.ReadFormAsync(http.RequestAborted).ConfigureAwait(false) : FormCollection.Empty;

    /// <summary>
    /// Answers a request: under the module's lock, <paramref name="checks"/> (an answer refuses the request), else
    /// <paramref name="answer"/>; then logs it.
    /// </summary>
    /// <param name="http">The request.</param>
    /// <param name="checks">The module's checks, in order; <see langword="null"/> when the request may be answered.</param>
    /// <param name="answer">The answer.</param>
    public IResult Answer(HttpContext http, Func<IResult?> checks, Func<IResult> answer)
    {
        IResult result;
        lock (gate)
        {
            result = checks() ?? answer();
        }

        Log(http, result);
        return result;
    }

    /// <summary>Logs a request answered outside <see cref="Answer"/> (a token endpoint, say).</summary>
    /// <param name="http">The request.</param>
    /// <param name="result">What was answered.</param>
    public void Log(HttpContext http, IResult result)
    {
        var path = http.Request.Path.Value![prefix.Length..] + (logQuery ? http.Request.QueryString.Value : null);
        var status = result is IStatusCodeHttpResult { StatusCode: { } code } ? code : 200;
        log.Add(new EmulatorRequest(provider, http.Request.Method, path, status, options.TimeProvider.GetUtcNow()));
    }
}
