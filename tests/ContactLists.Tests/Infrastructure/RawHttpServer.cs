using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ContactLists.Tests.Infrastructure;

/// <summary>A request as it reached a <see cref="RawHttpServer"/>: its request line, headers and body, as sent.</summary>
public sealed record RawRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The whole request as text, to search for what must never arrive (a key, a secret).</summary>
    public string Text => $"{Method} {Target}\n{string.Join("\n", Headers.Select(h => h.Key + ": " + h.Value))}\n\n{Body}";
}

/// <summary>
/// A loopback HTTP/1.1 server written on a bare socket, so that a test controls every byte of the answer: a foreign
/// host that records whatever reaches it, or a provider that answers with a truncated body, a redirect, or a reset.
/// Each request is answered by <see cref="Answer"/> (raw bytes, and whether to reset the connection after them).
/// </summary>
public sealed class RawHttpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<RawRequest> _requests = new();
    private readonly Task _accepting;

    public RawHttpServer(Func<RawRequest, RawAnswer>? answer = null)
    {
        Answer = answer ?? (_ => RawAnswer.Json(200, """{"data":{"id":"foreign-list","name":"from the foreign host"}}"""));
        _listener.Start();
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>How each request is answered.</summary>
    public Func<RawRequest, RawAnswer> Answer { get; set; }

    /// <summary>Such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RawRequest> Requests => _requests.ToArray();

    /// <summary>Connections accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        using var _ = socket;
        using var stream = new NetworkStream(socket, ownsSocket: false);
        var buffer = new List<byte>();
        var chunk = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var request = await ReadRequestAsync(stream, buffer, chunk);
                if (request is null)
                {
                    return;
                }

                _requests.Enqueue(request);
                var answer = Answer(request);
                if (answer.Bytes.Length > 0)
                {
                    await stream.WriteAsync(answer.Bytes, _stop.Token);
                    await stream.FlushAsync(_stop.Token);
                }

                if (answer.Reset)
                {
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    return;
                }

                if (answer.Close)
                {
                    // A graceful close: what was written arrives, then the end of the stream.
                    socket.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away.
        }
    }

    private async Task<RawRequest?> ReadRequestAsync(NetworkStream stream, List<byte> buffer, byte[] chunk)
    {
        int headerEnd;
        while ((headerEnd = IndexOf(buffer, "\r\n\r\n"u8.ToArray())) < 0)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        var head = Encoding.ASCII.GetString(buffer.GetRange(0, headerEnd).ToArray()).Split("\r\n");
        var requestLine = head[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        var length = headers.TryGetValue("Content-Length", out var declared) ? int.Parse(declared, CultureInfo.InvariantCulture) : 0;
        while (buffer.Count < headerEnd + 4 + length)
        {
            var read = await stream.ReadAsync(chunk, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            buffer.AddRange(chunk.AsSpan(0, read).ToArray());
        }

        var body = Encoding.UTF8.GetString(buffer.GetRange(headerEnd + 4, length).ToArray());
        buffer.RemoveRange(0, headerEnd + 4 + length);
        return new RawRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : string.Empty, headers, body);
    }

    private static int IndexOf(List<byte> buffer, byte[] pattern)
    {
        for (var i = 0; i <= buffer.Count - pattern.Length; i++)
        {
            var match = true;
            for (var j = 0; j < pattern.Length && match; j++)
            {
                match = buffer[i + j] == pattern[j];
            }

            if (match)
            {
                return i;
            }
        }

        return -1;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (OperationCanceledException)
        {
        }

        _stop.Dispose();
    }
}

/// <summary>The raw bytes a <see cref="RawHttpServer"/> answers with, and whether it then resets the connection.</summary>
public sealed record RawAnswer(byte[] Bytes, bool Reset = false, bool Close = false)
{
    /// <summary>A whole JSON answer.</summary>
    public static RawAnswer Json(int status, string json, string? extraHeaders = null)
    {
        var body = Encoding.UTF8.GetBytes(json);
        return new RawAnswer(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n{extraHeaders}\r\n").Concat(body).ToArray());
    }

    /// <summary>A JSON answer whose <c>Content-Length</c> promises the whole body but which stops half-way: the connection is closed there.</summary>
    public static RawAnswer Truncated(int status, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");
        return new RawAnswer(head.Concat(body.Take(Math.Max(1, body.Length / 2))).ToArray(), Close: true);
    }

    /// <summary>A redirect to <paramref name="location"/>.</summary>
    public static RawAnswer Redirect(int status, Uri location)
        => new(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} {Reason(status)}\r\nLocation: {location.AbsoluteUri}\r\nContent-Length: 0\r\n\r\n"));

    /// <summary>No answer: the connection is reset once the request is read.</summary>
    public static RawAnswer ResetNow { get; } = new([], Reset: true);

    private static string Reason(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        _ => "Status",
    };
}
