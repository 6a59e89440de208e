using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace ContactLists.Emulator;

/// <summary>A fault the emulator can put between a client and a provider module.</summary>
public enum EmulatorFault
{
    /// <summary>500 after the module applied the request (the write took effect; the answer says it failed).</summary>
    ServerErrorAfterApplying,

    /// <summary>503, not applied.</summary>
    ServiceUnavailable,

    /// <summary>408, not applied.</summary>
    RequestTimeout,

    /// <summary>429 with <c>Retry-After</c> in seconds (<see cref="EmulatorFaults.RetryAfter"/>), not applied.</summary>
    TooManyRequestsSeconds,

    /// <summary>429 with <c>Retry-After</c> as an HTTP date on the emulator's clock, not applied.</summary>
    TooManyRequestsDate,

    /// <summary>The connection is reset before the module sees the request: not applied, no answer.</summary>
    ResetBeforeApplying,

    /// <summary>The module applies the request, then the connection is reset: applied, answer lost.</summary>
    AnswerLost,

    /// <summary>200 with an HTML page (a proxy or captive portal answering), not applied.</summary>
    HtmlPage,

    /// <summary>200 with an empty body, not applied.</summary>
    EmptyBody,

    /// <summary>200 with malformed JSON, after the module applied the request.</summary>
    MalformedJson,

    /// <summary>The module's answer, cut off half-way by a reset (its Content-Length promises more), after applying.</summary>
    TruncatedBody,

    /// <summary>The module's answer, one byte per <see cref="EmulatorFaults.SlowBodyByteInterval"/> of the emulator's clock, after applying.</summary>
    SlowBody,

    /// <summary>
    /// <c>302 Found</c> to <see cref="EmulatorFaults.RedirectLocation"/> (the request's path and query appended), not
    /// applied: a client that follows it sends the request, with its credentials, to another host.
    /// </summary>
    Redirect,

    /// <summary>As <see cref="Redirect"/>, with <c>307 Temporary Redirect</c>, which asks for the same method and body to be sent there.</summary>
    TemporaryRedirect,

    /// <summary>200 with well-formed JSON that is not the provider's answer (<c>{"unexpected":true}</c>), not applied.</summary>
    WrongShapeJson,

    /// <summary>
    /// A new connection is reset as soon as it is accepted, before any request on it is read: not applied, no answer.
    /// Decided per connection (not per request), so it is met when the client opens a connection.
    /// </summary>
    ResetOnAccept,

    /// <summary>200 with a JSON array (<c>[]</c>) where the provider answers an object, not applied.</summary>
    JsonArray,

    /// <summary>200 with an error object (<c>{"error":"…","code":500}</c>), as some gateways answer, not applied.</summary>
    ErrorObject,

    /// <summary>The module's answer, gzip-compressed with <c>Content-Encoding: gzip</c> though the client did not ask for it, after applying.</summary>
    UnaskedGzip,

    /// <summary>200 with a 200 KB response header (over the 64 KB a client reads by default), not applied.</summary>
    HugeHeader,
}

/// <summary>A request a fault may be injected into.</summary>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The request path, with the module's prefix (such as <c>/whippy/v1/contacts/lists</c>).</param>
public sealed record EmulatorFaultTarget(string Method, string Path);

/// <summary>A fault the emulator injected.</summary>
/// <param name="Fault">The fault.</param>
/// <param name="Method">The request's method.</param>
/// <param name="Path">The request's path.</param>
/// <param name="Applied">Whether the module applied the request (a write took effect).</param>
public sealed record EmulatorInjectedFault(EmulatorFault Fault, string Method, string Path, bool Applied);

/// <summary>
/// Makes the emulator misbehave the way real networks and providers do, so that code (the SDK's and yours) can be
/// tested against bad answers: a share of requests, chosen by a seeded random source, get one of <see cref="Kinds"/>.
/// Waits (<see cref="EmulatorFault.SlowBody"/>'s trickle, <c>Retry-After</c> dates) use the emulator's <see cref="EmulatorOptions.TimeProvider"/>.
/// The settings may be changed while the emulator runs.
/// </summary>
public sealed class EmulatorFaults
{
    private readonly ConcurrentQueue<EmulatorInjectedFault> _injected = new();
    private readonly object _gate = new();
    private Random? _random;
    private int _seed = 1;
    private int _picked;

    /// <summary>The share of matching requests that get a fault, from 0 (none, the default) to 1 (all).</summary>
    public double Rate { get; set; }

    /// <summary>The seed of the random choice of requests and faults, so that a run can be repeated.</summary>
    public int Seed
    {
        get => _seed;
        set
        {
            lock (_gate)
            {
                _seed = value;
                _random = null;
            }
        }
    }

    /// <summary>The faults to choose from, with equal weight. Default: all of them.</summary>
    public IReadOnlyList<EmulatorFault> Kinds { get; set; } = Enum.GetValues<EmulatorFault>();

    /// <summary>Which requests may get a fault; <see langword="null"/> (the default) for every request but OAuth2 token requests.</summary>
    public Func<EmulatorFaultTarget, bool>? Where { get; set; }

    /// <summary>At most this many faults are injected (then none); <see langword="null"/> for no limit.</summary>
    public int? MaxFaults { get; set; }

    /// <summary>The wait a 429 fault asks for. Default 1 second.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The emulator time between two bytes of a <see cref="EmulatorFault.SlowBody"/> answer. Default 1 second.</summary>
    public TimeSpan SlowBodyByteInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Where <see cref="EmulatorFault.Redirect"/> and <see cref="EmulatorFault.TemporaryRedirect"/> send the client (the
    /// request's path and query are appended). Default <c>http://redirect.invalid/</c>, a host that never resolves; a
    /// test that must see what would arrive there points it at a listener of its own.
    /// </summary>
    public Uri RedirectLocation { get; set; } = new("http://redirect.invalid/");

    /// <summary>The faults injected so far, in order.</summary>
    public IReadOnlyList<EmulatorInjectedFault> Injected => _injected.ToArray();

    internal EmulatorFault? Pick(string method, string path)
    {
        if (Rate <= 0)
        {
            return null;
        }

        var target = new EmulatorFaultTarget(method, path);
        if (Where is { } where ? !where(target) : path.EndsWith("/token", StringComparison.Ordinal))
        {
            return null;
        }

        lock (_gate)
        {
            if (MaxFaults is { } max && _picked >= max)
            {
                return null;
            }

            _random ??= new Random(_seed);
            if (_random.NextDouble() >= Rate || Kinds.Count == 0)
            {
                return null;
            }

            // A connection-level fault is decided when a connection is accepted, not per request.
            var kinds = Kinds.Contains(EmulatorFault.ResetOnAccept) ? Kinds.Where(k => k != EmulatorFault.ResetOnAccept).ToArray() : Kinds;
            if (kinds.Count == 0)
            {
                return null;
            }

            // Counted now, so that MaxFaults holds under concurrent requests.
            _picked++;
            return kinds[_random.Next(kinds.Count)];
        }
    }

    /// <summary>Whether a newly accepted connection is reset (<see cref="EmulatorFault.ResetOnAccept"/>): at <see cref="Rate"/>, when that kind is among <see cref="Kinds"/>.</summary>
    internal bool PickConnectionReset()
    {
        if (Rate <= 0 || !Kinds.Contains(EmulatorFault.ResetOnAccept))
        {
            return false;
        }

        lock (_gate)
        {
            if (MaxFaults is { } max && _picked >= max)
            {
                return false;
            }

            _random ??= new Random(_seed);
            if (_random.NextDouble() >= Rate)
            {
                return false;
            }

            _picked++;
        }

        Record(EmulatorFault.ResetOnAccept, "-", "(connection)", applied: false);
        return true;
    }

    internal void Record(EmulatorFault fault, string method, string path, bool applied)
        => _injected.Enqueue(new EmulatorInjectedFault(fault, method, path, applied));
}

/// <summary>Resets a newly accepted connection when <see cref="EmulatorFaults"/> picks <see cref="EmulatorFault.ResetOnAccept"/> for it.</summary>
internal static class ConnectionFaults
{
    public static Func<Microsoft.AspNetCore.Connections.ConnectionDelegate, Microsoft.AspNetCore.Connections.ConnectionDelegate> Middleware(EmulatorFaults faults)
        => next => connection =>
        {
            if (faults.PickConnectionReset())
            {
                // Closed before any byte is read: the client's request meets a reset connection.
                connection.Abort(new Microsoft.AspNetCore.Connections.ConnectionAbortedException("reset on accept (injected)"));
                return Task.CompletedTask;
            }

            return next(connection);
        };
}

/// <summary>The middleware that injects <see cref="EmulatorFaults"/> in front of every module.</summary>
internal sealed class FaultInjector(EmulatorFaults faults, TimeProvider timeProvider)
{
    private const string Html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1><p>The upstream server is unavailable.</p></body></html>";

    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var method = http.Request.Method;
        var path = http.Request.Path.Value ?? string.Empty;
        var fault = faults.Pick(method, path);
        if (fault is { } chosen && chosen is not (EmulatorFault.AnswerLost or EmulatorFault.ServerErrorAfterApplying or EmulatorFault.MalformedJson or EmulatorFault.TruncatedBody or EmulatorFault.SlowBody or EmulatorFault.UnaskedGzip))
        {
            faults.Record(chosen, method, path, applied: false);
        }

        switch (fault)
        {
            case null:
                await next(http).ConfigureAwait(false);
                return;
            case EmulatorFault.ServiceUnavailable:
                await AnswerAsync(http, StatusCodes.Status503ServiceUnavailable, """{"error":"Service unavailable (injected)"}""").ConfigureAwait(false);
                return;
            case EmulatorFault.RequestTimeout:
                await AnswerAsync(http, StatusCodes.Status408RequestTimeout, """{"error":"Request timeout (injected)"}""").ConfigureAwait(false);
                return;
            case EmulatorFault.TooManyRequestsSeconds:
                http.Response.Headers.RetryAfter = ((long)Math.Ceiling(faults.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await AnswerAsync(http, StatusCodes.Status429TooManyRequests, """{"error":"Too many requests (injected)"}""").ConfigureAwait(false);
                return;
            case EmulatorFault.TooManyRequestsDate:
                // HTTP dates have whole seconds: round up, so that the wait asked for is never shorter than RetryAfter.
                var at = timeProvider.GetUtcNow() + faults.RetryAfter;
                at = at.AddTicks(TimeSpan.TicksPerSecond - (at.Ticks % TimeSpan.TicksPerSecond));
                http.Response.Headers.RetryAfter = at.ToString("R", CultureInfo.InvariantCulture);
                await AnswerAsync(http, StatusCodes.Status429TooManyRequests, """{"error":"Too many requests (injected)"}""").ConfigureAwait(false);
                return;
            case EmulatorFault.ResetBeforeApplying:
                http.Abort();
                return;
            case EmulatorFault.HtmlPage:
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "text/html; charset=utf-8";
                await http.Response.WriteAsync(Html).ConfigureAwait(false);
                return;
            case EmulatorFault.EmptyBody:
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                http.Response.ContentLength = 0;
                return;
            case EmulatorFault.WrongShapeJson:
                await AnswerAsync(http, StatusCodes.Status200OK, """{"unexpected":true}""").ConfigureAwait(false);
                return;
            case EmulatorFault.JsonArray:
                await AnswerAsync(http, StatusCodes.Status200OK, "[]").ConfigureAwait(false);
                return;
            case EmulatorFault.ErrorObject:
                await AnswerAsync(http, StatusCodes.Status200OK, """{"error":"Internal error (injected)","code":500}""").ConfigureAwait(false);
                return;
            case EmulatorFault.HugeHeader:
                http.Response.Headers["X-Padding"] = new string('x', 200 * 1024);
                await AnswerAsync(http, StatusCodes.Status200OK, """{"unexpected":true}""").ConfigureAwait(false);
                return;
            case EmulatorFault.Redirect or EmulatorFault.TemporaryRedirect:
                var location = new Uri(faults.RedirectLocation, http.Request.Path.Value?.TrimStart('/') + http.Request.QueryString.Value);
                http.Response.StatusCode = fault == EmulatorFault.Redirect ? StatusCodes.Status302Found : StatusCodes.Status307TemporaryRedirect;
                http.Response.Headers.Location = location.AbsoluteUri;
                http.Response.ContentLength = 0;
                return;
        }

        // The remaining faults apply the request first, then spoil its answer.
        var (status, headers, body) = await ApplyAsync(http, next).ConfigureAwait(false);
        // Applied only when the module accepted it: a refused request changed nothing whatever its answer became.
        faults.Record(fault.Value, method, path, applied: status is >= 200 and < 300);
        switch (fault)
        {
            case EmulatorFault.AnswerLost:
                http.Abort();
                return;
            case EmulatorFault.ServerErrorAfterApplying:
                await AnswerAsync(http, StatusCodes.Status500InternalServerError, """{"error":"Internal server error (injected)"}""").ConfigureAwait(false);
                return;
            case EmulatorFault.MalformedJson:
                http.Response.StatusCode = StatusCodes.Status200OK;
                http.Response.ContentType = "application/json";
                await http.Response.WriteAsync("""{"data":{"id":"12""").ConfigureAwait(false);
                return;
        }

        Restore(http, status, headers);
        if (body.Length == 0)
        {
            // Nothing to cut or slow down: the answer goes out whole.
            return;
        }

        if (fault == EmulatorFault.UnaskedGzip)
        {
            using var zipped = new MemoryStream();
            using (var gzip = new System.IO.Compression.GZipStream(zipped, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(body);
            }

            http.Response.Headers.ContentEncoding = "gzip";
            http.Response.ContentLength = zipped.Length;
            await http.Response.Body.WriteAsync(zipped.ToArray()).ConfigureAwait(false);
            return;
        }

        http.Response.ContentLength = body.Length;
        if (fault == EmulatorFault.TruncatedBody)
        {
            await http.Response.Body.WriteAsync(body.AsMemory(0, Math.Max(1, body.Length / 2))).ConfigureAwait(false);
            await http.Response.Body.FlushAsync().ConfigureAwait(false);
            http.Abort();
            return;
        }

        // SlowBody: one byte at a time, on the emulator's clock.
        try
        {
            for (var i = 0; i < body.Length; i++)
            {
                await http.Response.Body.WriteAsync(body.AsMemory(i, 1), http.RequestAborted).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(http.RequestAborted).ConfigureAwait(false);
                await Task.Delay(faults.SlowBodyByteInterval, timeProvider, http.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client gave up on the trickle.
        }
    }

    /// <summary>Runs the module with its answer captured, so that the answer can be spoiled after the request was applied.</summary>
    private static async Task<(int Status, KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] Headers, byte[] Body)> ApplyAsync(HttpContext http, RequestDelegate next)
    {
        var original = http.Response.Body;
        using var captured = new MemoryStream();
        http.Response.Body = captured;
        try
        {
            await next(http).ConfigureAwait(false);
        }
        finally
        {
            http.Response.Body = original;
        }

        var headers = http.Response.Headers.ToArray();
        var status = http.Response.StatusCode;
        http.Response.Clear();
        return (status, headers, captured.ToArray());
    }

    private static void Restore(HttpContext http, int status, KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>[] headers)
    {
        http.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            if (!name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                http.Response.Headers[name] = value;
            }
        }
    }

    private static async Task AnswerAsync(HttpContext http, int status, string json)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        var bytes = Encoding.UTF8.GetBytes(json);
        http.Response.ContentLength = bytes.Length;
        await http.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }
}
