using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.SlickText;

/// <summary>
/// SlickText's brand-scoped API over an in-memory store: bearer key auth, one brand, lists with full CRUD,
/// <c>limit</c>/<c>offset</c> paging with <c>pagingData.hasMore</c>, exact-match filters, a bare-number count,
/// contacts found by mobile number or e-mail and created with a required mobile number, memberships by contact id,
/// the documented rate limit (240 requests in any minute) and the <c>x-RateLimit*</c> headers on every answer.
/// Error bodies are not documented; this module answers <c>{ "message": "…" }</c>.
/// </summary>
public sealed partial class SlickTextEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module is served under.</summary>
    public const string Prefix = "/slicktext";

    /// <inheritdoc/>
    string IEmulatorModule.Provider => "SlickText";

    /// <inheritdoc/>
    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix).ToString());
        yield return new("ApiKey", ApiKey);
        yield return new("BrandId", BrandId.ToString(CultureInfo.InvariantCulture));
    }

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly SortedDictionary<long, JsonObject> _lists = [];
    private readonly SortedDictionary<long, JsonObject> _contacts = [];
    private readonly Dictionary<long, OrderedSet<long>> _members = [];
    private readonly List<JsonObject> _customFields = [];

    /// <summary>The contact fields SlickText documents for a create beyond mobile number, names and e-mail.</summary>
    private static readonly string[] DocumentedFields = ["birthdate", "address", "city", "state", "zip", "country", "timezone", "language"];

    /// <summary>The only time zones SlickText documents as accepted.</summary>
    private static readonly string[] TimeZones = ["America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"];

    // The contacts by mobile number, so that a lookup by the one filter every sync uses stays cheap on a large brand.
    private readonly Dictionary<string, long> _byMobile = new(StringComparer.Ordinal);
    private readonly EmulatorRateLimiter? _limiter;
    private readonly TimeSpan _window;
    private long _nextListId = 3101;
    private long _nextContactId = 5_320_593;

    internal SlickTextEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        _options = options;
        _requests = new("SlickText", Prefix, options, log, _gate);
        _window = options.EnforcedWindow(TimeSpan.FromMinutes(1)) ?? TimeSpan.FromMinutes(1);
        if (options.EnforcedWindow(TimeSpan.FromMinutes(1)) is { } window)
        {
            _limiter = new EmulatorRateLimiter(240, window, options.TimeProvider);
        }
    }

    /// <summary>The API key the module accepts.</summary>
    public string ApiKey => _options.SlickTextApiKey;

    /// <summary>The brand's id.</summary>
    public long BrandId => _options.SlickTextBrandId;

    /// <summary>The ids of a list's members, in the order they joined.</summary>
    /// <param name="listId">The list.</param>
    public IReadOnlyList<long> GetMemberIds(long listId)
    {
        lock (_gate)
        {
            return _members.TryGetValue(listId, out var members) ? [.. members.All] : [];
        }
    }

    /// <summary>The mobile numbers of a list's members, in the order they joined.</summary>
    /// <param name="listId">The list.</param>
    public IReadOnlyList<string> GetMemberPhones(long listId)
    {
        lock (_gate)
        {
            return _members.TryGetValue(listId, out var members) ? members.All.Select(id => _contacts[id]["mobile_number"]!.GetValue<string>()).ToArray() : [];
        }
    }

    /// <summary>Defines a custom contact field of the brand (as the SlickText app would), listed by <c>GET /v1/brands/{brand_id}/custom-fields</c>.</summary>
    /// <param name="internalName">The key of the field in a contact's <c>custom_fields</c>.</param>
    /// <param name="name">The name shown in SlickText.</param>
    /// <param name="dataType">Its type.</param>
    public void DefineCustomField(string internalName, string name, string dataType = "text")
    {
        lock (_gate)
        {
            _customFields.Add(new JsonObject { ["name"] = name, ["internal_name"] = internalName, ["data_type"] = dataType, ["description"] = null });
        }
    }

    /// <summary>A contact as stored, or <see langword="null"/>.</summary>
    /// <param name="contactId">The contact.</param>
    public JsonObject? GetContact(long contactId)
    {
        lock (_gate)
        {
            return _contacts.TryGetValue(contactId, out var contact) ? (JsonObject)contact.DeepClone() : null;
        }
    }

    /// <summary>
    /// Sets a contact's opt-in status (as the contact would by texting STOP, or the SlickText app): <c>subscribed</c>,
    /// <c>not subscribed</c>, <c>unsubscribed</c> or <c>blocked</c>.
    /// </summary>
    /// <param name="contactId">The contact.</param>
    /// <param name="status">The status.</param>
    public void SetOptInStatus(long contactId, string status)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(status);
        lock (_gate)
        {
            _contacts[contactId]["opt_in_status"] = status;
        }
    }

    /// <summary>How many contacts the brand holds.</summary>
    public int ContactCount
    {
        get
        {
            lock (_gate)
            {
                return _contacts.Count;
            }
        }
    }

    /// <summary>Deletes a contact (as the SlickText app would): it leaves every list and its id is no longer known.</summary>
    /// <param name="contactId">The contact.</param>
    /// <returns>Whether it existed.</returns>
    public bool DeleteContact(long contactId)
    {
        lock (_gate)
        {
            if (!_contacts.Remove(contactId, out var contact))
            {
                return false;
            }

            if (contact["mobile_number"]?.GetValue<string>() is { } mobile && _byMobile.GetValueOrDefault(mobile) == contactId)
            {
                _byMobile.Remove(mobile);
            }

            foreach (var members in _members.Values)
            {
                members.Remove(contactId);
            }

            return true;
        }
    }

    string? IEmulatorModule.Seed(int contacts)
    {
        lock (_gate)
        {
            for (var n = 0; n < contacts; n++)
            {
                AddContact(string.Create(CultureInfo.InvariantCulture, $"+14153{n:D6}"), string.Create(CultureInfo.InvariantCulture, $"seed{n}@example.com"), null, null, null);
            }
        }

        return $"SlickText: {contacts:N0} contacts in the brand";
    }

    /// <summary>Creates a contact directly (as the SlickText app would) and returns its id.</summary>
    /// <param name="mobileNumber">Its mobile number, E.164.</param>
    /// <param name="email">Its e-mail address.</param>
    public long SeedContact(string mobileNumber, string? email = null)
    {
        lock (_gate)
        {
            return AddContact(mobileNumber, email, null, null, null);
        }
    }

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        var root = Prefix + "/v1/brands";
        app.MapGet(root, (HttpContext http) => Handle(http, () => Json(200, Brand())));
        var brand = app.MapGroup(root + "/{brandId}");
        brand.MapGet("/lists", (HttpContext http, string brandId) => Handle(http, brandId, () => Page(_lists.Values, http.Request, "contact_list_id")));
        brand.MapPost("/lists", (HttpContext http, string brandId, CancellationToken ct) => HandleBody(http, brandId, CreateList));
        brand.MapGet("/lists/{listId}", (HttpContext http, string brandId, string listId) => Handle(http, brandId, () => WithList(listId, (id, list) => Json(200, list.DeepClone()))));
        brand.MapPut("/lists/{listId}", (HttpContext http, string brandId, string listId, CancellationToken ct) => HandleBody(http, brandId, body => EditList(listId, body)));
        brand.MapDelete("/lists/{listId}", (HttpContext http, string brandId, string listId) => Handle(http, brandId, () => WithList(listId, (id, _) =>
        {
            _lists.Remove(id);
            _members.Remove(id);
            return Json(200, new JsonArray());
        })));
        brand.MapGet("/lists/{listId}/contacts/count", (HttpContext http, string brandId, string listId) => Handle(http, brandId, () => WithList(listId, (id, _) => Json(200, JsonValue.Create(_members[id].Count)))));
        brand.MapGet("/lists/{listId}/contacts", (HttpContext http, string brandId, string listId) => Handle(http, brandId, () => WithList(listId, (id, _) => Page(new Mapped(_members[id].All, m => _contacts[m]), http.Request, "contact_id"))));
        brand.MapPost("/lists/contacts", (HttpContext http, string brandId, CancellationToken ct) => HandleBody(http, brandId, body => Memberships(body, add: true)));
        // SlickText's remove endpoint is not confirmed: the module serves one of the forms the sources show, as set.
        if (_options.SlickTextRemoveForm == SlickTextRemoveForm.BrandListsContacts)
        {
            brand.MapDelete("/lists/contacts", (HttpContext http, string brandId, CancellationToken ct) => HandleBody(http, brandId, body => Memberships(body, add: false)));
        }
        else
        {
            app.MapDelete(Prefix + "/v1/contacts/{contactId}/lists/{listId}", (HttpContext http, long contactId, long listId) => Handle(http, () => RemoveOneMembership(contactId, listId)));
        }

        brand.MapGet("/contacts", (HttpContext http, string brandId) => Handle(http, brandId, () => Page(ContactsFiltered(http.Request), http.Request, "contact_id")));
        brand.MapPost("/contacts", (HttpContext http, string brandId, CancellationToken ct) => HandleBody(http, brandId, CreateContact));
        brand.MapPut("/contacts/{contactId}", (HttpContext http, string brandId, string contactId, CancellationToken ct) => HandleBody(http, brandId, body => EditContact(contactId, body)));
        brand.MapGet("/custom-fields", (HttpContext http, string brandId) => Handle(http, brandId, () => Page(_customFields, http.Request, "internal_name")));
    }

    private IResult Handle(HttpContext http, Func<IResult> handler) => Handle(http, null, handler);

    private IResult Handle(HttpContext http, string? brandId, Func<IResult> handler)
        => _requests.Answer(http, () => Check(http, brandId), handler);

    // Authentication, the rate limit and the brand, in SlickText's order; the rate-limit headers on every answer.
    private IResult? Check(HttpContext http, string? brandId)
    {
        var wait = TimeSpan.Zero;
        // With limits off nothing is counted, and the whole budget is always left.
        var remaining = 240;
        if (http.Request.Headers.Authorization != "Bearer " + _options.SlickTextApiKey)
        {
            return Message(401, "Unauthenticated.");
        }

        if (_limiter is not null && !_limiter.TryAcquire(out wait, out remaining))
        {
            http.Response.Headers["x-RateLimit"] = "240";
            http.Response.Headers["x-RateLimit-Remaining"] = "0";
            http.Response.Headers["x-RateLimit-Reset"] = ((long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Message(429, "Too Many Attempts.");
        }

        if (brandId is not null && brandId != _options.SlickTextBrandId.ToString(CultureInfo.InvariantCulture))
        {
            return Message(404, "Brand not found.");
        }

        // SlickText documents all three headers on every answer.
        http.Response.Headers["x-RateLimit"] = "240";
        http.Response.Headers["x-RateLimit-Remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        http.Response.Headers["x-RateLimit-Reset"] = ((long)_window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return null;
    }

    private async Task<IResult> HandleBody(HttpContext http, string brandId, Func<JsonNode, IResult> handler)
    {
        var body = await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false);
        return Handle(http, brandId, () => body is null ? Message(400, "The request body must be JSON.") : handler(body));
    }

    private JsonObject Brand() => new()
    {
        ["brand_id"] = _options.SlickTextBrandId,
        ["_account_id"] = 900001,
        ["name"] = "Emulated brand",
        ["country"] = "US",
    };

    private static IResult Page(IEnumerable<JsonObject> items, HttpRequest request, string idField)
    {
        if (!TryInt(request, "limit", 50, out var limit) || limit is < 1 or > 10_000 || !TryInt(request, "offset", 0, out var offset) || offset < 0)
        {
            return Message(422, "limit must be 1 to 10000 and offset a non-negative integer.");
        }

        // Every other query parameter is an exact, case-sensitive filter on a field of the resource.
        var filters = StrictQuery(request).Where(q => q.Key is not ("limit" or "offset" or "page" or "pageSize")).ToArray();
        // Unfiltered, a list is paged where it is (a page of a list of a million costs a page); filtered, it is matched first.
        IReadOnlyList<JsonObject> matching = filters.Length == 0 && items is IReadOnlyList<JsonObject> all
            ? all
            : items.Where(item => filters.All(f => item[f.Key] is JsonValue v && v.ToString() == f.Value)).ToList();
        var page = Enumerable.Range(offset, Math.Clamp(matching.Count - offset, 0, limit)).Select(i => (JsonNode)matching[i].DeepClone()).ToArray();
        return Json(200, new JsonObject
        {
            ["data"] = new JsonArray(page),
            ["pagingData"] = new JsonObject
            {
                ["prevPage"] = null,
                ["currentPage"] = null,
                ["nextPage"] = null,
                ["currentPageString"] = null,
                ["hasMore"] = offset + page.Length < matching.Count,
            },
        });
    }

    private IResult CreateList(JsonNode body)
    {
        if (body is not JsonObject obj || Text(obj, "name") is not { Length: > 0 } name)
        {
            return Message(422, "The name field is required.");
        }

        var id = _nextListId++;
        _lists[id] = new JsonObject
        {
            ["contact_list_id"] = id,
            ["_brand_id"] = _options.SlickTextBrandId,
            ["name"] = name,
            ["description"] = Text(obj, "description"),
            ["created"] = _options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        _members[id] = new OrderedSet<long>();
        return Json(201, _lists[id].DeepClone());
    }

    private IResult EditList(string listId, JsonNode body) => WithList(listId, (_, list) =>
    {
        if (body is not JsonObject obj || (obj["name"] is null && obj["description"] is null))
        {
            return Message(422, "At least one of name and description is required.");
        }

        if (Text(obj, "name") is { Length: > 0 } name)
        {
            list["name"] = name;
        }

        if (obj["description"] is not null)
        {
            list["description"] = Text(obj, "description");
        }

        return Json(200, list.DeepClone());
    });

    private IResult Memberships(JsonNode body, bool add)
    {
        if (body is not JsonArray items || items.Count == 0)
        {
            return Message(422, "The body must be a non-empty array of { contact_id, lists }.");
        }

        var parsed = new List<(long Contact, long[] Lists)>();
        foreach (var item in items)
        {
            if (item is not JsonObject obj || obj["contact_id"] is not JsonValue c || !c.TryGetValue<long>(out var contactId) || obj["lists"] is not JsonArray lists)
            {
                return Message(422, "Each item needs an integer contact_id and an array of list ids.");
            }

            if (!_contacts.ContainsKey(contactId))
            {
                return Message(404, $"Contact {contactId} not found.");
            }

            var ids = lists.Select(l => l is JsonValue v && v.TryGetValue<long>(out var n) ? n : -1).ToArray();
            if (ids.FirstOrDefault(id => !_lists.ContainsKey(id), 0) is var missing and not 0)
            {
                return Message(404, $"List {missing} not found.");
            }

            parsed.Add((contactId, ids));
        }

        var count = 0;
        foreach (var (contact, lists) in parsed)
        {
            foreach (var list in lists)
            {
                var members = _members[list];
                if (add ? members.Add(contact) : members.Remove(contact))
                {
                    count++;
                }
            }
        }

        return Json(200, new JsonObject { ["count"] = count });
    }

    // The per-membership form: no body; 404 when the contact, the list or the membership does not exist.
    private IResult RemoveOneMembership(long contactId, long listId)
    {
        if (!_contacts.ContainsKey(contactId) || !_members.TryGetValue(listId, out var members))
        {
            return Message(404, $"Contact {contactId} or list {listId} not found.");
        }

        return members.Remove(contactId) ? Json(200, new JsonObject { ["count"] = 1 }) : Message(404, $"Contact {contactId} is not in list {listId}.");
    }

    private IResult CreateContact(JsonNode body)
    {
        if (body is not JsonObject obj || Text(obj, "mobile_number") is not { } mobile || mobile.Length == 0)
        {
            return Message(422, "The mobile number field is required.");
        }

        var digits = Digits().Replace(mobile, string.Empty);
        var normalized = mobile.StartsWith('+') ? "+" + digits : digits.Length == 10 ? "+1" + digits : "+" + digits;
        if (digits.Length < 10)
        {
            return Message(422, "The mobile number must have at least 10 digits.");
        }

        // Whether SlickText merges a duplicate mobile number is not documented; this module refuses it.
        if (_byMobile.ContainsKey(normalized))
        {
            return Message(422, "The mobile number has already been taken.");
        }

        if (Text(obj, "timezone") is { } zone && Array.IndexOf(TimeZones, zone) < 0)
        {
            return Message(422, "The selected timezone is invalid.");
        }

        var id = AddContact(normalized, Text(obj, "email"), Text(obj, "first_name"), Text(obj, "last_name"), obj["custom_fields"] as JsonObject);
        foreach (var field in DocumentedFields)
        {
            if (Text(obj, field) is { } value)
            {
                _contacts[id][field] = value;
            }
        }

        return Json(201, _contacts[id].DeepClone());
    }

    /// <summary>
    /// Edits a contact: only the fields sent change (SlickText: "only the fields sent are changed"), with the create's
    /// field names and rules, its opt-in status included when it is sent.
    /// </summary>
    private IResult EditContact(string contactId, JsonNode body)
    {
        if (!long.TryParse(contactId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_contacts.TryGetValue(id, out var contact))
        {
            return Message(404, "Contact not found.");
        }

        if (body is not JsonObject obj)
        {
            return Message(422, "The body must be a JSON object.");
        }

        if (Text(obj, "timezone") is { } zone && Array.IndexOf(TimeZones, zone) < 0)
        {
            return Message(422, "The selected timezone is invalid.");
        }

        if (Text(obj, "mobile_number") is { } mobile && mobile != Text(contact, "mobile_number"))
        {
            if (_byMobile.ContainsKey(mobile))
            {
                return Message(422, "The mobile number has already been taken.");
            }

            _byMobile.Remove(Text(contact, "mobile_number")!);
            _byMobile[mobile] = id;
        }

        foreach (var (name, value) in obj)
        {
            if (name == "custom_fields" && value is JsonObject custom)
            {
                var held = contact["custom_fields"] as JsonObject ?? [];
                foreach (var (field, fieldValue) in custom)
                {
                    held[field] = fieldValue?.DeepClone();
                }

                contact["custom_fields"] = held;
            }
            else if (name is "mobile_number" or "first_name" or "last_name" or "email" or "opt_in_status" || Array.IndexOf(DocumentedFields, name) >= 0)
            {
                contact[name] = value?.DeepClone();
            }
        }

        contact["last_updated"] = _options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return Json(200, contact.DeepClone());
    }

    /// <summary>The contacts a query can match: narrowed by the mobile-number index when it filters on it (Page still applies every filter).</summary>
    private IEnumerable<JsonObject> ContactsFiltered(HttpRequest request)
        => StrictQuery(request).FirstOrDefault(q => q.Key == "mobile_number") is { Key: not null } mobile
            ? _byMobile.TryGetValue(mobile.Value, out var id) ? [_contacts[id]] : []
            : _contacts.Values.AsEnumerable();

    private long AddContact(string mobile, string? email, string? firstName, string? lastName, JsonObject? customFields)
    {
        var id = _nextContactId++;
        _byMobile[mobile] = id;
        _contacts[id] = new JsonObject
        {
            ["contact_id"] = id,
            ["_brand_id"] = _options.SlickTextBrandId,
            ["mobile_number"] = mobile,
            ["first_name"] = firstName,
            ["last_name"] = lastName,
            ["email"] = email,
            ["_source_id"] = "null",
            ["source"] = "api",
            ["custom_fields"] = customFields?.DeepClone() ?? new JsonObject(),
            ["opt_in_status"] = "not subscribed",
            ["created"] = _options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        };
        return id;
    }

    private IResult WithList(string listId, Func<long, JsonObject, IResult> handler)
        => long.TryParse(listId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && _lists.TryGetValue(id, out var list)
            ? handler(id, list)
            : Message(404, "List not found.");

    private static string? Text(JsonObject item, string name) => item[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>
    /// The query string as SlickText reads it: percent escapes are decoded, and a parameter whose value holds a raw
    /// <c>+</c> is ignored, as a production client found SlickText does ("silently ignored … returned unfiltered
    /// totals"), where ASP.NET Core's <c>Request.Query</c> would read the <c>+</c> as a space.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> StrictQuery(HttpRequest request)
    {
        var raw = request.QueryString.Value;
        if (string.IsNullOrEmpty(raw))
        {
            yield break;
        }

        foreach (var pair in raw.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals >= 0 && pair.IndexOf('+', equals) >= 0)
            {
                continue;
            }

            var key = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Uri.UnescapeDataString(pair[(equals + 1)..]);
            yield return KeyValuePair.Create(key, value);
        }
    }

    private static bool TryInt(HttpRequest request, string name, int fallback, out int value)
    {
        value = fallback;
        var raw = request.Query[name].ToString();
        return raw.Length == 0 || int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static IResult Json(int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static IResult Message(int status, string message) => Json(status, new JsonObject { ["message"] = message });

    [GeneratedRegex("[^0-9]")]
    private static partial Regex Digits();
}
