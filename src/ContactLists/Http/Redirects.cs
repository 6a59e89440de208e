using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;

namespace ContactLists.Http;

/// <summary>
/// No request of the SDK follows a redirect. A followed redirect would carry the request's credentials (an API key
/// header, a bearer token, a client secret in a token request's body) and its data to whatever host the
/// <c>Location</c> names, and the answer of that host would be read as the provider's. A 3xx answer therefore surfaces
/// as <see cref="ContactListUnexpectedAnswerException"/> with <see cref="UnexpectedAnswerProblem.Redirected"/>.
/// </summary>
internal static class Redirects
{
    /// <summary>
    /// Turns automatic redirects off on the client's primary handler, whatever it is: the default one, or one the user
    /// configured (even after this call: the setting is applied after every other configuration of the client), and
    /// puts a guard just above it that refuses an answer that came from another address than the one asked.
    /// </summary>
    public static IHttpClientBuilder NeverFollow(this IHttpClientBuilder builder, ProviderHttpProfile profile)
    {
        builder.Services.PostConfigure<HttpClientFactoryOptions>(builder.Name, options =>
            options.HttpMessageHandlerBuilderActions.Add(handlers =>
            {
                Disable(handlers.PrimaryHandler);
                // Innermost: it sees the request as the primary handler left it.
                handlers.AdditionalHandlers.Add(new RedirectGuardHandler(profile));
            }));
        return builder;
    }

    private static void Disable(HttpMessageHandler? handler)
    {
        // A user's handler may wrap the one that talks to the network.
        while (handler is DelegatingHandler wrapper)
        {
            handler = wrapper.InnerHandler;
        }

        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.AllowAutoRedirect = false;
                break;
            case HttpClientHandler client:
                client.AllowAutoRedirect = false;
                break;
        }
    }

    /// <summary>The host a <c>Location</c> header names, as <c>scheme://host:port</c> (never its path or query, which may carry a token).</summary>
    public static string LocationHost(HttpResponseMessage response)
        => response.Headers.Location switch
        {
            null => "no Location",
            { IsAbsoluteUri: true } location => location.GetLeftPart(UriPartial.Authority),
            _ => "a path on the same host",
        };

    /// <summary>
    /// The last line of defence, for a primary handler of a kind the SDK cannot configure: a handler that followed a
    /// redirect has changed the request's address. The request has left by then, so this cannot unsend it, but its
    /// answer is never taken for the provider's.
    /// </summary>
    private sealed class RedirectGuardHandler(ProviderHttpProfile profile) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var asked = request.RequestUri;
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (asked is not null && request.RequestUri is { } answered && Uri.Compare(asked, answered, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) != 0)
            {
                using (response)
                {
                    // Put the address asked for back, so that nothing downstream (logs, errors) shows the other one.
                    request.RequestUri = asked;
                    throw UnexpectedAnswers.Redirected(profile, request, response, answered.GetLeftPart(UriPartial.Authority),
                        "the HTTP handler configured for this client followed it, so the request may have reached that host; configure that handler with AllowAutoRedirect = false");
                }
            }

            return response;
        }
    }
}
