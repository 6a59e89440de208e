using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.Movio;

/// <summary>
/// Movio's contact-list endpoint and its OAuth2 token issuer over an in-memory store: client credentials in a
/// Basic header, the <c>audience</c> checked, bearer tokens that expire (on the emulator's clock), a bare JSON
/// array body of <c>email</c> plus string attributes, <c>append</c>/<c>replace</c>/<c>delete</c>, and 202.
/// Lists are created in Movio's web app, so here they are created with <see cref="CreateList"/>.
/// </summary>
public sealed class MovioEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module is served under.</summary>
    public const string Prefix = "/movio";

    /// <inheritdoc/>
    string IEmulatorModule.Provider => "Movio";

    /// <inheritdoc/>
    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix + "/api").ToString());
        yield return new("TokenEndpoint", new Uri(root, Prefix + "/oauth/token").ToString());
        yield return new("ClientId", ClientId);
        yield return new("ClientSecret", ClientSecret);
    }

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, MovioList> _lists = new(StringComparer.Ordinal);
    private int _nextListId = 12345;
    private int _tokensIssued;

    internal MovioEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        _options = options;
        _requests = new("Movio", Prefix, options, log, _gate);
    }

    /// <summary>The client id the token issuer accepts.</summary>
    public string ClientId => _options.MovioClientId;

    /// <summary>The client secret the token issuer accepts.</summary>
    public string ClientSecret => _options.MovioClientSecret;

    /// <summary>The audience the token issuer expects: the API address without a trailing slash.</summary>
    public string Audience { get; internal set; } = string.Empty;

    /// <summary>How many tokens were issued.</summary>
    public int TokensIssued => Volatile.Read(ref _tokensIssued);

    /// <inheritdoc/>
    string? IEmulatorModule.CreateListInApp(string name) => CreateList(name);

    /// <summary>Creates a list, as a user would in Movio EQ, and returns its id.</summary>
    /// <param name="name">The list's name.</param>
    public string CreateList(string name)
    {
        lock (_gate)
        {
            var id = (_nextListId++).ToString(CultureInfo.InvariantCulture);
            _lists[id] = new MovioList(name);
            return id;
        }
    }

    string? IEmulatorModule.Seed(int contacts)
    {
        lock (_gate)
        {
            var id = (_nextListId++).ToString(CultureInfo.InvariantCulture);
            var list = new MovioList("seeded");
            for (var n = 0; n < contacts; n++)
            {
                list.Members[string.Create(CultureInfo.InvariantCulture, $"seed{n}@example.com")] = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            _lists[id] = list;
            return $"Movio: {contacts:N0} contacts in list 'seeded' (id {id})";
        }
    }

    /// <summary>The e-mail addresses in a list, in the order they were added.</summary>
    /// <param name="listId">The list's id.</param>
    public IReadOnlyList<string> GetMemberEmails(string listId)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(listId, out var list) ? list.Members.Keys.ToArray() : [];
        }
    }

    /// <summary>The attributes stored for a member.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="email">The member's address.</param>
    public IReadOnlyDictionary<string, string>? GetMemberAttributes(string listId, string email)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(listId, out var list) && list.Members.TryGetValue(email, out var attributes) ? new Dictionary<string, string>(attributes) : null;
        }
    }

    /// <summary>Makes every issued token invalid, as if they had expired or been revoked.</summary>
    public void RevokeTokens()
    {
        lock (_gate)
        {
            _tokens.Clear();
        }
    }

    /// <summary>The module checks the OAuth2 audience against its API address, known once Kestrel has a port.</summary>
    void IEmulatorModule.OnStarted(Uri baseAddress) => Audience = new Uri(baseAddress, Prefix + "/api").ToString().TrimEnd('/');

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Prefix + "/oauth/token", (HttpContext http, CancellationToken ct) => IssueTokenAsync(http));
        app.MapPut(Prefix + "/api/contact-lists/{id}/contacts", (HttpContext http, string id, CancellationToken ct) => UpdateContactsAsync(http, id));
    }

    private async Task<IResult> IssueTokenAsync(HttpContext http)
    {
        var result = await IssueTokenCoreAsync(http).ConfigureAwait(false);
        _requests.Log(http, result);
        return result;
    }

    private async Task<IResult> IssueTokenCoreAsync(HttpContext http)
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ClientId}:{ClientSecret}"));
        if (!string.Equals(http.Request.Headers.Authorization.ToString(), expected, StringComparison.Ordinal))
        {
            return OAuthError(401, "invalid_client", "Unauthorized");
        }

        if (!http.Request.HasFormContentType)
        {
            return OAuthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded");
        }

        var form = await http.Request.ReadFormAsync().ConfigureAwait(false);
        if (form["grant_type"] != "client_credentials")
        {
            return OAuthError(400, "unsupported_grant_type", "Only client_credentials is supported");
        }

        if (form["audience"] != Audience)
        {
            return OAuthError(403, "access_denied", $"Service not found: {form["audience"]}");
        }

        var token = "eyJ" + Convert.ToBase64String(Guid.NewGuid().ToByteArray()).TrimEnd('=');
        lock (_gate)
        {
            _tokens[token] = _options.TimeProvider.GetUtcNow() + _options.MovioTokenLifetime;
        }

        Interlocked.Increment(ref _tokensIssued);
        return Results.Json(new JsonObject
        {
            ["access_token"] = token,
            ["token_type"] = "Bearer",
            ["expires_in"] = (long)_options.MovioTokenLifetime.TotalSeconds,
            ["scope"] = form["scope"].ToString(),
        });
    }

    private async Task<IResult> UpdateContactsAsync(HttpContext http, string id)
    {
        // A malformed body is answered after authentication.
        var body = await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false);
        return _requests.Answer(http, () => Authorize(http), () => Update(http.Request.Query["action"].ToString(), id, body));
    }

    private IResult? Authorize(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        return token is not null && _tokens.TryGetValue(token, out var expires) && _options.TimeProvider.GetUtcNow() < expires
            ? null
            : Error(401, "The access token is missing, invalid or expired.");
    }

    private IResult Update(string action, string id, JsonNode? body)
    {
        if (action is not ("append" or "replace" or "delete"))
        {
            return Error(400, "The query parameter 'action' must be one of append, replace, delete.");
        }

        if (body is not JsonArray items)
        {
            return Error(400, "The request body must be a JSON array of contacts.");
        }

        if (items.Count > _options.MovioMaxContactsPerRequest)
        {
            return Error(422, $"At most {_options.MovioMaxContactsPerRequest} contacts can be sent at once, but {items.Count} were.");
        }

        var contacts = new List<(string Email, Dictionary<string, string> Attributes)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject item || item["email"] is not JsonValue email || !email.TryGetValue<string>(out var address) || address.Length == 0)
            {
                return Error(422, $"Contact {i}: email is required.");
            }

            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in item)
            {
                if (key == "email")
                {
                    continue;
                }

                if (value is not JsonValue v || !v.TryGetValue<string>(out var text))
                {
                    return Error(422, $"Contact {i}: attribute '{key}' must be a string.");
                }

                attributes[key] = text;
            }

            contacts.Add((address, attributes));
        }

        if (!_lists.TryGetValue(id, out var list))
        {
            return Error(404, $"Contact list {id} was not found.");
        }

        var created = 0;
        if (action == "replace")
        {
            list.Members.Clear();
        }

        foreach (var (email, attributes) in contacts)
        {
            if (action == "delete")
            {
                list.Members.Remove(email);
                continue;
            }

            if (!list.Members.ContainsKey(email))
            {
                created++;
            }

            list.Members[email] = attributes;
        }

        return Results.Json(
            new JsonObject { ["total"] = contacts.Count, ["created_count"] = created, ["updated_count"] = action == "delete" ? 0 : contacts.Count - created },
            statusCode: 202);
    }

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["message"] = message }, statusCode: status);

    private static IResult OAuthError(int status, string error, string description)
        => Results.Json(new JsonObject { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private sealed class MovioList(string name)
    {
        public string Name { get; } = name;

        // Insertion-ordered membership: email → attributes.
        public OrderedDictionary<string, Dictionary<string, string>> Members { get; } = new(StringComparer.Ordinal);
    }
}
