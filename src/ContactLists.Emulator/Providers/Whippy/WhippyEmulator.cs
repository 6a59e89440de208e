using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.Whippy;

/// <summary>
/// Whippy's contact-list endpoints over an in-memory store, in Whippy's wire format: <c>X-WHIPPY-KEY</c> auth,
/// <c>{ "errors": [ { "description" } ], "status" }</c> error bodies, 1..4000 contacts per request, phone (E.164)
/// required, soft delete, archived lists refusing membership changes, and the documented rate limits
/// (10 contact-list writes a minute, 25 requests a second), answered with 429 and Whippy's wait header.
/// Written from Whippy's documentation, independently of the SDK's types.
/// </summary>
public sealed partial class WhippyEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module is served under.</summary>
    public const string Prefix = "/whippy";

    /// <inheritdoc/>
    string IEmulatorModule.Provider => "Whippy";

    /// <inheritdoc/>
    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix).ToString());
        yield return new("ApiKey", ApiKey);
    }

    private const int MaxContacts = 4000;
    private const int MaxOptIns = 1000;
    private const int MaxText = 255;

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly Dictionary<string, ListState> _lists = new(StringComparer.Ordinal);
    private readonly List<string> _listOrder = [];
    private readonly Dictionary<string, ContactState> _contactsByPhone = new(StringComparer.Ordinal);
    private readonly EmulatorRateLimiter? _writeLimiter;
    private readonly EmulatorRateLimiter? _requestLimiter;
    private readonly string _organizationId = Guid.NewGuid().ToString();

    // Membership changes Whippy has answered "being updated" for but not yet applied (asynchronous mode), in order.
    private readonly Queue<(DateTimeOffset Due, Action Apply)> _pendingChanges = new();

    internal WhippyEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        if (options.WhippyMembershipChangeStatus is not (200 or 202))
        {
            throw new ArgumentException($"WhippyMembershipChangeStatus must be 200 or 202, not {options.WhippyMembershipChangeStatus}.", nameof(options));
        }

        _options = options;
        _requests = new("Whippy", Prefix, options, log, _gate);
        if (options.EnforcedWindow(TimeSpan.FromMinutes(1)) is { } writeWindow)
        {
            _writeLimiter = new EmulatorRateLimiter(10, writeWindow, options.TimeProvider);
        }

        if (options.EnforcedWindow(TimeSpan.FromSeconds(1)) is { } requestWindow)
        {
            _requestLimiter = new EmulatorRateLimiter(25, requestWindow, options.TimeProvider);
        }
    }

    /// <summary>The API key the module accepts.</summary>
    public string ApiKey => _options.WhippyApiKey;

    /// <summary>
    /// A contact of the organization as stored, or <see langword="null"/>: its fields as Whippy returns them, and
    /// <c>opted_in_to_all_channels</c> / <c>opted_in_channels</c>, what requests opted it in to (Whippy documents that an
    /// add or overwrite opts contacts in to every channel unless told otherwise).
    /// </summary>
    /// <param name="phone">The contact's phone, E.164.</param>
    public JsonObject? GetContact(string phone)
    {
        lock (_gate)
        {
            ApplyDueChanges();
            if (!_contactsByPhone.TryGetValue(phone, out var contact))
            {
                return null;
            }

            var json = contact.ToJson();
            json["opted_in_to_all_channels"] = contact.OptedInToAllChannels;
            json["opted_in_channels"] = new JsonArray(contact.OptedInChannels.Order(StringComparer.Ordinal).Select(c => (JsonNode)c).ToArray());
            return json;
        }
    }

    /// <summary>The phone numbers currently in a list, in the order they were added (for tests).</summary>
    /// <param name="listId">The list's id.</param>
    public IReadOnlyList<string> GetMemberPhones(string listId)
    {
        lock (_gate)
        {
            ApplyDueChanges();
            return _lists.TryGetValue(listId, out var list) ? list.Members.ToArray() : [];
        }
    }

    /// <summary>The ids of the lists that exist (not deleted), in the order they were created (for tests).</summary>
    public IReadOnlyList<string> ListIds
    {
        get
        {
            lock (_gate)
            {
                return _listOrder.Where(id => _lists[id].State != "deleted").ToArray();
            }
        }
    }

    /// <summary>How many membership changes were answered but are not applied yet (asynchronous mode, for tests).</summary>
    public int PendingChangeCount
    {
        get
        {
            lock (_gate)
            {
                ApplyDueChanges();
                return _pendingChanges.Count;
            }
        }
    }

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix + "/v1/contacts/lists");
        group.MapGet("", (HttpContext http) => Handle(http, isWrite: false, () => ListLists(http.Request)));
        group.MapPost("", (HttpContext http, CancellationToken ct) => HandleWithBody(http, CreateList));
        group.MapGet("/{id}", (HttpContext http, string id) => Handle(http, isWrite: false, () => GetList(id)));
        group.MapPut("/{id}", (HttpContext http, string id) => HandleWithBody(http, body => UpdateList(id, body)));
        group.MapDelete("/{id}", (HttpContext http, string id) => Handle(http, isWrite: true, () => DeleteList(id)));
        group.MapPut("/{id}/contacts", (HttpContext http, string id) => HandleWithBody(http, body => UpdateListContacts(id, body)));
    }

    private async Task<IResult> HandleWithBody(HttpContext http, Func<JsonObject, IResult> handler)
    {
        var body = await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false);
        return Handle(http, isWrite: true, () => body is JsonObject obj ? handler(obj) : Error(400, "Request body must be a JSON object"));
    }

    private IResult Handle(HttpContext http, bool isWrite, Func<IResult> handler)
        => _requests.Answer(http, () => Authorize(http) ?? Throttle(http, isWrite), () =>
        {
            ApplyDueChanges();
            return handler();
        });

    // Applies, in the order they were answered, the queued membership changes whose time has come on the emulator's clock.
    private void ApplyDueChanges()
    {
        var now = _options.TimeProvider.GetUtcNow();
        while (_pendingChanges.TryPeek(out var next) && next.Due <= now)
        {
            _pendingChanges.Dequeue().Apply();
        }
    }

    private IResult? Authorize(HttpContext http)
    {
        var key = http.Request.Headers["X-WHIPPY-KEY"].ToString();
        return string.Equals(key, _options.WhippyApiKey, StringComparison.Ordinal) ? null : Error(401, "Not authenticated");
    }

    private IResult? Throttle(HttpContext http, bool isWrite)
    {
        var wait = TimeSpan.Zero;
        if ((_requestLimiter is null || _requestLimiter.TryAcquire(out wait)) && (!isWrite || _writeLimiter is null || _writeLimiter.TryAcquire(out wait)))
        {
            return null;
        }

        http.Response.Headers["X-RateLimit-Remaining-Interval-Milliseconds"] = ((long)Math.Ceiling(wait.TotalMilliseconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Error(429, "Too many requests");
    }

    private IResult ListLists(HttpRequest request)
    {
        if (!TryInt(request, "offset", 0, out var offset) || offset < 0)
        {
            return Error(422, "offset must be a non-negative integer");
        }

        if (!TryInt(request, "limit", 50, out var limit) || limit < 1)
        {
            return Error(422, "limit must be a positive integer");
        }

        var visible = _listOrder.Select(id => _lists[id]).Where(l => l.State != "deleted").ToList();
        var page = visible.Skip(offset).Take(limit).Select(l => l.ToJson(embedContacts: false, 0)).ToArray();
        return Json(200, new JsonObject { ["data"] = new JsonArray(page), ["total"] = visible.Count });
    }

    private IResult CreateList(JsonObject body)
    {
        if (ReadName(body, required: true, out var name) is { } nameError)
        {
            return nameError;
        }

        List<ContactInput>? contacts = null;
        if (body["contacts"] is not null && ReadContacts(body, out contacts) is { } contactsError)
        {
            return contactsError;
        }

        if (ReadOptIns(body) is { } optInError)
        {
            return optInError;
        }

        var now = _options.TimeProvider.GetUtcNow();
        var list = new ListState(Guid.NewGuid().ToString(), name!, _organizationId, now)
        {
            Color = body["color"]?.GetValue<string>(),
        };
        _lists.Add(list.Id, list);
        _listOrder.Add(list.Id);
        foreach (var contact in contacts ?? [])
        {
            list.Add(Upsert(contact).Phone);
        }

        return Json(201, new JsonObject { ["data"] = list.ToJson(embedContacts: false, 0) });
    }

    private IResult GetList(string id)
        => _lists.TryGetValue(id, out var list)
            ? Json(200, new JsonObject { ["data"] = list.ToJson(embedContacts: true, _options.WhippyEmbeddedContactsPageSize, _contactsByPhone) })
            : Error(404, "Contact list not found");

    private IResult UpdateList(string id, JsonObject body)
    {
        if (!_lists.TryGetValue(id, out var list) || list.State == "deleted")
        {
            return Error(404, "Contact list not found");
        }

        if (body["name"] is not null)
        {
            if (ReadName(body, required: true, out var name) is { } nameError)
            {
                return nameError;
            }

            list.Name = name!;
        }

        if (body["state"] is not null)
        {
            var state = body["state"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (state is not ("active" or "archived"))
            {
                return Error(422, "state must be one of active, archived");
            }

            list.State = state;
        }

        if (body["color"] is JsonValue color && color.TryGetValue<string>(out var c))
        {
            list.Color = c;
        }

        list.UpdatedAt = _options.TimeProvider.GetUtcNow();
        return Json(200, new JsonObject { ["data"] = list.ToJson(embedContacts: false, 0) });
    }

    private IResult DeleteList(string id)
    {
        if (!_lists.TryGetValue(id, out var list) || list.State == "deleted")
        {
            return Error(404, "Contact list not found");
        }

        list.State = "deleted";
        list.UpdatedAt = _options.TimeProvider.GetUtcNow();
        return Json(200, new JsonObject { ["data"] = list.ToJson(embedContacts: false, 0) });
    }

    private IResult UpdateListContacts(string id, JsonObject body)
    {
        if (!_lists.TryGetValue(id, out var list) || list.State == "deleted")
        {
            return Error(404, "Contact list not found");
        }

        var action = body["action"] is JsonValue a && a.TryGetValue<string>(out var act) ? act : null;
        if (action is not ("add" or "remove" or "overwrite"))
        {
            return Error(422, "action is required and must be one of add, remove, overwrite");
        }

        if (ReadContacts(body, out var contacts) is { } contactsError)
        {
            return contactsError;
        }

        if (ReadOptIns(body) is { } optInError)
        {
            return optInError;
        }

        if (list.State != "active")
        {
            return Error(422, "The contact list must be active");
        }

        // As documented: add and overwrite opt the contacts in to every channel of the organization unless
        // opt_in_to_all_channels is false (it defaults to true), and to the channels opt_in_to names.
        var optInToAll = action != "remove" && (body["opt_in_to_all_channels"] is not JsonValue all || (all.TryGetValue<bool>(out var yes) && yes));
        var optInTo = action == "remove" || body["opt_in_to"] is not JsonArray named ? [] : named.Select(o => o?["id"]?.ToString() ?? o?["phone"]?.ToString()).OfType<string>().ToArray();

        void Apply()
        {
            // As documented: every contact is created or updated first, whatever the action.
            var phones = contacts!.Select(c => Upsert(c, optInToAll, optInTo).Phone).ToList();
            switch (action)
            {
                case "add":
                    phones.ForEach(list.Add);
                    break;
                case "remove":
                    phones.ForEach(list.Remove);
                    break;
                default:
                    list.Clear();
                    phones.ForEach(list.Add);
                    break;
            }

            list.UpdatedAt = _options.TimeProvider.GetUtcNow();
        }

        // Whippy's answer says the contacts "are being updated": the change may land after the answer. Applied at once
        // unless a delay is set, and then after that long on the emulator's clock, behind any change still queued.
        if (_options.WhippyMembershipChangeDelay > TimeSpan.Zero || _pendingChanges.Count > 0)
        {
            _pendingChanges.Enqueue((_options.TimeProvider.GetUtcNow() + _options.WhippyMembershipChangeDelay, Apply));
        }
        else
        {
            Apply();
        }

        return Json(_options.WhippyMembershipChangeStatus, new JsonObject { ["data"] = new JsonObject { ["message"] = "Contact list contacts are being updated" } });
    }

    private static IResult? ReadName(JsonObject body, bool required, out string? name)
    {
        name = body["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? CollapseSpaces().Replace(s.Trim(), " ") : null;
        if (required && string.IsNullOrEmpty(name))
        {
            return Error(422, "name can't be blank");
        }

        return name is { Length: > MaxText } ? Error(422, $"name should be at most {MaxText} character(s)") : null;
    }

    private static IResult? ReadContacts(JsonObject body, out List<ContactInput>? contacts)
    {
        contacts = null;
        if (body["contacts"] is not JsonArray array)
        {
            return Error(422, "contacts is required");
        }

        if (array.Count is < 1 or > MaxContacts)
        {
            return Error(422, $"contacts should have between 1 and {MaxContacts} item(s), but has {array.Count}");
        }

        contacts = new List<ContactInput>(array.Count);
        for (var i = 0; i < array.Count; i++)
        {
            if (array[i] is not JsonObject item)
            {
                return Error(422, $"contacts[{i}] must be an object");
            }

            var phone = Text(item, "phone");
            if (string.IsNullOrEmpty(phone))
            {
                return Error(422, $"contacts[{i}].phone can't be blank");
            }

            if (!E164().IsMatch(phone))
            {
                return Error(422, $"contacts[{i}].phone is not a valid phone number");
            }

            var name = Text(item, "name");
            var email = Text(item, "email");
            if (name is { Length: > MaxText } || email is { Length: > MaxText })
            {
                return Error(422, $"contacts[{i}] name and email should be at most {MaxText} character(s)");
            }

            contacts.Add(new ContactInput(phone, name, email, Text(item, "external_id"), item["properties"] as JsonObject));
        }

        return null;
    }

    private static IResult? ReadOptIns(JsonObject body)
    {
        if (body["opt_in_to"] is null)
        {
            return null;
        }

        return body["opt_in_to"] is JsonArray { Count: >= 1 and <= MaxOptIns } optIns && optIns.All(o => o is JsonObject x && (x["id"] is not null || x["phone"] is not null))
            ? null
            : Error(422, $"opt_in_to should have between 1 and {MaxOptIns} item(s), each with an id or a phone");
    }

    private ContactState Upsert(ContactInput input, bool optInToAll = false, IReadOnlyCollection<string>? optInTo = null)
    {
        var now = _options.TimeProvider.GetUtcNow();
        if (!_contactsByPhone.TryGetValue(input.Phone, out var contact))
        {
            contact = new ContactState(Guid.NewGuid().ToString(), input.Phone, now);
            _contactsByPhone.Add(input.Phone, contact);
        }

        contact.Name = input.Name ?? contact.Name;
        contact.Email = input.Email ?? contact.Email;
        contact.ExternalId = input.ExternalId ?? contact.ExternalId;
        if (input.Properties is not null)
        {
            foreach (var (key, value) in input.Properties)
            {
                contact.Properties[key] = value?.DeepClone();
            }
        }

        contact.OptedInToAllChannels |= optInToAll;
        contact.OptedInChannels.UnionWith(optInTo ?? []);
        contact.UpdatedAt = now;
        return contact;
    }

    private static string? Text(JsonObject item, string name)
        => item[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool TryInt(HttpRequest request, string name, int fallback, out int value)
    {
        value = fallback;
        var raw = request.Query[name].ToString();
        return raw.Length == 0 || int.TryParse(raw, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    private static IResult Json(int status, JsonObject body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static IResult Error(int status, string description)
        => Json(status, new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["description"] = description }), ["status"] = status });

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"\s+")]
    private static partial Regex CollapseSpaces();

    private sealed record ContactInput(string Phone, string? Name, string? Email, string? ExternalId, JsonObject? Properties);

    string? IEmulatorModule.Seed(int contacts)
    {
        lock (_gate)
        {
            var now = _options.TimeProvider.GetUtcNow();
            for (var n = 0; n < contacts; n++)
            {
                var phone = string.Create(CultureInfo.InvariantCulture, $"+14153{n:D6}");
                _contactsByPhone.TryAdd(phone, new ContactState(Guid.NewGuid().ToString(), phone, now));
            }
        }

        return $"Whippy: {contacts:N0} contacts in the organization";
    }

    private sealed class ContactState(string id, string phone, DateTimeOffset createdAt)
    {
        public string Id { get; } = id;
        public string Phone { get; } = phone;
        public string? Name { get; set; }
        public string? Email { get; set; }
        public string? ExternalId { get; set; }
        public Dictionary<string, JsonNode?> Properties { get; } = new(StringComparer.Ordinal);

        /// <summary>Whether a request opted the contact in to every channel (Whippy's default for add and overwrite).</summary>
        public bool OptedInToAllChannels { get; set; }

        /// <summary>The channels (ids or phones) a request's opt_in_to opted the contact in to.</summary>
        public HashSet<string> OptedInChannels { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset CreatedAt { get; } = createdAt;
        public DateTimeOffset UpdatedAt { get; set; } = createdAt;

        public JsonObject ToJson()
        {
            var properties = new JsonObject();
            foreach (var (key, value) in Properties)
            {
                properties[key] = value?.DeepClone();
            }

            return new JsonObject
            {
                ["id"] = Id,
                ["phone"] = Phone,
                ["name"] = Name,
                ["email"] = Email,
                ["external_id"] = ExternalId,
                ["state"] = "open",
                ["blocked"] = false,
                ["properties"] = properties,
                ["created_at"] = CreatedAt.UtcDateTime.ToString("O"),
                ["updated_at"] = UpdatedAt.UtcDateTime.ToString("O"),
            };
        }
    }

    private sealed class ListState(string id, string name, string organizationId, DateTimeOffset createdAt)
    {
        private readonly OrderedSet<string> _members = new();

        public string Id { get; } = id;
        public string Name { get; set; } = name;
        public string? Color { get; set; }
        public string State { get; set; } = "active";
        public DateTimeOffset CreatedAt { get; } = createdAt;
        public DateTimeOffset UpdatedAt { get; set; } = createdAt;
        public IReadOnlyList<string> Members => _members.All;

        public void Add(string phone) => _members.Add(phone);

        public void Remove(string phone) => _members.Remove(phone);

        public void Clear() => _members.Clear();

        public JsonObject ToJson(bool embedContacts, int pageSize, Dictionary<string, ContactState>? contacts = null)
        {
            var json = new JsonObject
            {
                ["id"] = Id,
                ["name"] = Name,
                ["color"] = Color,
                ["state"] = State,
                ["organization_id"] = organizationId,
                ["created_at"] = CreatedAt.UtcDateTime.ToString("O"),
                ["updated_at"] = UpdatedAt.UtcDateTime.ToString("O"),
            };
            if (embedContacts)
            {
                var page = _members.All.Take(pageSize).Select(phone => (JsonNode)contacts![phone].ToJson()).ToArray();
                json["contacts"] = new JsonObject { ["data"] = new JsonArray(page), ["total"] = _members.Count };
            }

            return json;
        }
    }
}
