using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.Acme;

/// <summary>
/// Acme's lists and members over an in-memory store: <c>X-Api-Key</c>, plain JSON, 1000 members a membership
/// request, errors as <c>{"error":{"message":…}}</c>.
/// </summary>
public sealed class AcmeEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module serves under.</summary>
    public const string Prefix = "/acme";

    private const int MaxMembersPerRequest = 1000;

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly Dictionary<string, AcmeStoredList> _lists = new(StringComparer.Ordinal);
    private int _nextId;

    internal AcmeEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        _options = options;
        _requests = new("Acme", Prefix, options, log, _gate);
    }

    /// <summary>The API key the module accepts.</summary>
    public string ApiKey => _options.AcmeApiKey;

    /// <summary>The phone numbers in a list, in the order they were added (for tests).</summary>
    /// <param name="listId">The list's id.</param>
    public IReadOnlyList<string> GetMemberPhones(string listId)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(listId, out var list) ? list.Members.Keys.ToArray() : [];
        }
    }

    /// <summary>A member of a list as it was last sent (for tests), or <see langword="null"/>.</summary>
    /// <param name="listId">The list's id.</param>
    /// <param name="phone">The member's phone.</param>
    public JsonObject? GetMember(string listId, string phone)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(listId, out var list) && list.Members.TryGetValue(phone, out var member) ? (JsonObject)member.DeepClone() : null;
        }
    }

    string IEmulatorModule.Provider => "Acme";

    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix).ToString());
        yield return new("ApiKey", ApiKey);
    }

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        var lists = app.MapGroup(Prefix + "/lists");
        lists.MapGet("", (HttpContext http) => Handle(http, () => ListLists(http.Request)));
        lists.MapPost("", async (HttpContext http, CancellationToken ct) => Handle(http, await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false), CreateList));
        lists.MapGet("/{id}", (HttpContext http, string id) => Handle(http, () => Find(id, out var list) ?? Results.Json(list!.ToJson())));
        lists.MapPut("/{id}", async (HttpContext http, string id, CancellationToken ct) => Handle(http, await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false), body => UpdateList(id, body)));
        lists.MapDelete("/{id}", (HttpContext http, string id) => Handle(http, () => Find(id, out _) ?? Deleted(id)));
        lists.MapGet("/{id}/members", (HttpContext http, string id) => Handle(http, () => Find(id, out var list) ?? Members(list!, http.Request)));
        lists.MapPut("/{id}/members", async (HttpContext http, string id, CancellationToken ct) => Handle(http, await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false), body => ChangeMembers(id, body)));
    }

    private IResult Handle(HttpContext http, Func<IResult> answer)
        => _requests.Answer(http, () => http.Request.Headers["X-Api-Key"] == _options.AcmeApiKey ? null : Error(401, "Invalid API key."), answer);

    private IResult Handle(HttpContext http, JsonNode? body, Func<JsonObject, IResult> answer)
        => Handle(http, () => body is JsonObject json ? answer(json) : Error(400, "The body must be a JSON object."));

    private IResult? Find(string id, out AcmeStoredList? list)
        => _lists.TryGetValue(id, out list) ? null : Error(404, $"List {id} not found.");

    private IResult ListLists(HttpRequest request)
    {
        var (offset, limit) = Paging(request);
        var all = _lists.Values.OrderBy(l => l.Order).ToList();
        return Results.Json(new JsonObject { ["lists"] = new JsonArray([.. all.Skip(offset).Take(limit).Select(l => (JsonNode)l.ToJson())]), ["total"] = all.Count });
    }

    private IResult CreateList(JsonObject body)
    {
        if (body["name"]?.GetValue<string>() is not { Length: > 0 } name)
        {
            return Error(422, "name is required.");
        }

        var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
        var list = new AcmeStoredList(id, _nextId) { Name = name, Description = body["description"]?.GetValue<string>(), CreatedAt = _options.TimeProvider.GetUtcNow() };
        _lists[id] = list;
        return Results.Json(list.ToJson(), statusCode: 201);
    }

    private IResult UpdateList(string id, JsonObject body)
    {
        if (Find(id, out var list) is { } missing)
        {
            return missing;
        }

        list!.Name = body["name"]?.GetValue<string>() ?? list.Name;
        list.Description = body["description"]?.GetValue<string>() ?? list.Description;
        list.Archived = body["archived"]?.GetValue<bool>() ?? list.Archived;
        return Results.Json(list.ToJson());
    }

    private IResult Deleted(string id)
    {
        _lists.Remove(id);
        return Results.StatusCode(204);
    }

    private static IResult Members(AcmeStoredList list, HttpRequest request)
    {
        var (offset, limit) = Paging(request);
        var page = list.Members.Values.Skip(offset).Take(limit).Select(m => (JsonNode)m.DeepClone());
        return Results.Json(new JsonObject { ["members"] = new JsonArray([.. page]), ["total"] = list.Members.Count });
    }

    private IResult ChangeMembers(string id, JsonObject body)
    {
        if (Find(id, out var list) is { } missing)
        {
            return missing;
        }

        if (body["members"] is not JsonArray members || members.Count is 0 or > MaxMembersPerRequest)
        {
            return Error(422, $"members must hold 1 to {MaxMembersPerRequest} members.");
        }

        if (members.Any(m => m?["phone"]?.GetValue<string>() is not { Length: > 0 }))
        {
            return Error(422, "Every member needs a phone.");
        }

        var action = body["action"]?.GetValue<string>();
        if (action is not ("add" or "remove" or "overwrite"))
        {
            return Error(422, "action must be add, remove or overwrite.");
        }

        if (action == "overwrite")
        {
            list!.Members.Clear();
        }

        foreach (var member in members.OfType<JsonObject>())
        {
            var phone = member["phone"]!.GetValue<string>();
            if (action == "remove")
            {
                list!.Members.Remove(phone);
            }
            else
            {
                list!.Members[phone] = (JsonObject)member.DeepClone();
            }
        }

        return Results.Json(new JsonObject { ["status"] = "queued" }, statusCode: 202);
    }

    private static (int Offset, int Limit) Paging(HttpRequest request)
        => (int.TryParse(request.Query["offset"], CultureInfo.InvariantCulture, out var offset) ? offset : 0,
            int.TryParse(request.Query["limit"], CultureInfo.InvariantCulture, out var limit) ? limit : 100);

    private static IResult Error(int status, string message)
        => Results.Json(new JsonObject { ["error"] = new JsonObject { ["message"] = message } }, statusCode: status);

    private sealed class AcmeStoredList(string id, int order)
    {
        public string Id { get; } = id;

        public int Order { get; } = order;

        public string? Name { get; set; }

        public string? Description { get; set; }

        public bool Archived { get; set; }

        public DateTimeOffset CreatedAt { get; init; }

        public Dictionary<string, JsonObject> Members { get; } = new(StringComparer.Ordinal);

        public JsonObject ToJson() => new()
        {
            ["id"] = Id,
            ["name"] = Name,
            ["description"] = Description,
            ["archived"] = Archived,
            ["member_count"] = Members.Count,
            ["created_at"] = CreatedAt,
        };
    }
}
