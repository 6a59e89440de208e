using System.Collections.Concurrent;
using System.Net;
using System.Threading.Channels;

namespace ContactLists.Tests.Infrastructure;

/// <summary>An in-memory primary handler: answers with the given function and records every request (and its body).</summary>
public sealed class StubHandler(Func<HttpRequestMessage, int, CancellationToken, Task<HttpResponseMessage>> respond) : HttpMessageHandler
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly Channel<RecordedRequest> _arrivals = Channel.CreateUnbounded<RecordedRequest>();
    private int _count;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    /// <summary>Completes when the next request arrives.</summary>
    public async Task<RecordedRequest> NextRequestAsync() => await _arrivals.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

    public static StubHandler Always(HttpStatusCode status, string body = "{}")
        => new((_, _, _) => Task.FromResult(Json(status, body)));

    public static HttpResponseMessage Json(HttpStatusCode status, string body) => new(status)
    {
        Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
    };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase), body);
        _requests.Enqueue(recorded);
        _arrivals.Writer.TryWrite(recorded);
        var attempt = Interlocked.Increment(ref _count);
        return await respond(request, attempt, cancellationToken);
    }
}

public sealed record RecordedRequest(HttpMethod Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
