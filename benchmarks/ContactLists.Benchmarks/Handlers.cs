using System.Net;

namespace ContactLists.Benchmarks;

/// <summary>Answers every request with the same bytes, without a network.</summary>
internal sealed class CannedHandler(Func<HttpRequestMessage, byte[]> body) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // Drain the request body, as a server would read it.
            await request.Content.CopyToAsync(Stream.Null, cancellationToken);
        }

        var content = new ByteArrayContent(body(request));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
    }
}
