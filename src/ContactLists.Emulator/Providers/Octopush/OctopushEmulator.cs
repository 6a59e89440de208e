using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.Octopush;

/// <summary>
/// Octopush's contact and contact-list endpoints over an in-memory store: <c>api-login</c> + <c>api-key</c> auth,
/// lists by name (created implicitly by an add), DELETEs with JSON bodies, at most 200 numbers per delete, and
/// Octopush's "incorrect data" policy: what it cannot fix (a malformed number) is dropped silently, a list name is
/// cut to 30 characters, and the request still succeeds. The error body shape is not documented; this module
/// answers <c>{ "code": status, "message": "…" }</c>.
/// </summary>
public sealed partial class OctopushEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module is served under.</summary>
    public const string Prefix = "/octopush";

    /// <inheritdoc/>
    string IEmulatorModule.Provider => "Octopush";

    /// <inheritdoc/>
    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix).ToString());
        yield return new("ApiLogin", ApiLogin);
        yield return new("ApiKey", ApiKey);
    }

    private const int MaxListName = 30;
    private const int MaxDelete = 200;

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly Dictionary<string, OctopushContactState> _contacts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OrderedSet<string>> _lists = new(StringComparer.Ordinal);

    internal OctopushEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        if (options.OctopushDuplicateListStatus is not (400 or 409 or 201))
        {
            throw new ArgumentException($"OctopushDuplicateListStatus must be 400, 409 or 201, not {options.OctopushDuplicateListStatus}.", nameof(options));
        }

        _options = options;
        _requests = new("Octopush", Prefix, options, log, _gate);
    }

    /// <summary>The login the module accepts.</summary>
    public string ApiLogin => _options.OctopushApiLogin;

    /// <summary>The API key the module accepts.</summary>
    public string ApiKey => _options.OctopushApiKey;

    /// <summary>The names of the lists.</summary>
    public IReadOnlyList<string> ListNames
    {
        get
        {
            lock (_gate)
            {
                return _lists.Keys.ToArray();
            }
        }
    }

    /// <summary>The phone numbers in a list, in the order they were added.</summary>
    /// <param name="listName">The list's name.</param>
    public IReadOnlyList<string> GetMemberPhones(string listName)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(listName, out var members) ? [.. members.All] : [];
        }
    }

    /// <summary>A contact of the account as stored: first name, last name and param1..param5 by their wire names.</summary>
    /// <param name="phone">The contact's number.</param>
    public IReadOnlyDictionary<string, string?>? GetContact(string phone)
    {
        lock (_gate)
        {
            return _contacts.TryGetValue(phone, out var contact) ? new Dictionary<string, string?>(contact.Fields) : null;
        }
    }

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(Prefix + "/v1/public");
        group.MapPost("/contact/create", (HttpContext http, CancellationToken ct) => HandleAsync(http, CreateContacts));
        group.MapDelete("/contact/delete", (HttpContext http, CancellationToken ct) => HandleAsync(http, DeleteContacts));
        group.MapPost("/contact-list/create", (HttpContext http, CancellationToken ct) => HandleAsync(http, CreateList));
        group.MapDelete("/contact-list/delete", (HttpContext http, CancellationToken ct) => HandleAsync(http, DeleteList));
        group.MapPost("/contact-list/empty", (HttpContext http, CancellationToken ct) => HandleAsync(http, EmptyList));
    }

    private async Task<IResult> HandleAsync(HttpContext http, Func<JsonObject, IResult> handler)
    {
        var body = await ModuleRequests.ReadJsonAsync(http).ConfigureAwait(false);
        return _requests.Answer(
            http,
            () => http.Request.Headers["api-login"] != _options.OctopushApiLogin || http.Request.Headers["api-key"] != _options.OctopushApiKey
                ? Error(401, "Unauthorized: check api-login and api-key.")
                : body is not JsonObject ? Error(400, "The request body must be a JSON object.") : null,
            () => handler((JsonObject)body!));
    }

    private IResult CreateContacts(JsonObject body)
    {
        if (body["contacts"] is not JsonArray contacts)
        {
            return Error(400, "contacts is required.");
        }

        var doNotOverwrite = body["do_not_overwrite"] is JsonValue flag && flag.TryGetValue<bool>(out var b) && b;
        var listName = ListName(body);
        OrderedSet<string>? members = null;
        if (listName is not null && !_lists.TryGetValue(listName, out members))
        {
            members = new OrderedSet<string>();
            _lists[listName] = members;
        }

        foreach (var item in contacts.OfType<JsonObject>())
        {
            // The "incorrect data" policy: a number that cannot be understood is ignored, silently.
            if (Text(item, "phone_number") is not { } phone || !E164().IsMatch(phone))
            {
                continue;
            }

            // do_not_overwrite protects existing contacts only; a new one always takes the fields given.
            var isNew = !_contacts.TryGetValue(phone, out var contact);
            if (contact is null)
            {
                contact = new OctopushContactState();
                _contacts[phone] = contact;
            }

            if (isNew || !doNotOverwrite)
            {
                foreach (var field in new[] { "first_name", "last_name", "param1", "param2", "param3", "param4", "param5" })
                {
                    contact.Fields[field] = Text(item, field) ?? contact.Fields.GetValueOrDefault(field);
                }
            }

            members?.Add(phone);
        }

        return Results.Json(new JsonObject(), statusCode: 201);
    }

    private IResult DeleteContacts(JsonObject body)
    {
        if (body["phone_numbers"] is not JsonArray numbers || numbers.Count is < 1 or > MaxDelete)
        {
            return Error(400, $"phone_numbers must hold between 1 and {MaxDelete} numbers.");
        }

        var phones = numbers.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null).OfType<string>().ToHashSet(StringComparer.Ordinal);
        // Documented: with a list_name the numbers leave that list; without one they are deleted from the account. Octopush
        // ignores what it does not recognise, so a list_name naming no list is treated as absent: the worst reading the
        // docs allow, so that a client which could send one is caught deleting account-wide.
        if (ListName(body) is { } listName && _lists.TryGetValue(listName, out var listMembers))
        {
            foreach (var phone in phones)
            {
                listMembers.Remove(phone);
            }
        }
        else
        {
            foreach (var phone in phones)
            {
                foreach (var members in _lists.Values)
                {
                    members.Remove(phone);
                }

                _contacts.Remove(phone);
            }
        }

        return Results.StatusCode(204);
    }

    private IResult CreateList(JsonObject body)
    {
        if (ListName(body) is not { } listName)
        {
            return Error(400, "list_name is required.");
        }

        if (!_lists.TryAdd(listName, new OrderedSet<string>()))
        {
            // Octopush does not document its answer to a name already taken; each plausible one is a setting.
            return _options.OctopushDuplicateListStatus == 201
                ? Results.Json(new JsonObject(), statusCode: 201)
                : Error(_options.OctopushDuplicateListStatus, $"The list '{listName}' already exists.");
        }

        return Results.Json(new JsonObject(), statusCode: 201);
    }

    private IResult DeleteList(JsonObject body)
    {
        if (ListName(body) is not { } listName)
        {
            return Error(400, "list_name is required.");
        }

        return _lists.Remove(listName) ? Results.StatusCode(204) : Error(404, $"The list '{listName}' does not exist.");
    }

    private IResult EmptyList(JsonObject body)
    {
        if (ListName(body) is not { } listName)
        {
            return Error(400, "list_name is required.");
        }

        if (!_lists.TryGetValue(listName, out var members))
        {
            return Error(404, $"The list '{listName}' does not exist.");
        }

        if (body["delete_contacts"] is JsonValue v && v.TryGetValue<bool>(out var delete) && delete)
        {
            foreach (var phone in members.All)
            {
                _contacts.Remove(phone);
            }
        }

        members.Clear();
        return Results.Json(new JsonObject(), statusCode: 200);
    }

    // Octopush "formats" what it can: a list name is cut to its documented 30 characters.
    private static string? ListName(JsonObject body)
        => Text(body, "list_name") is { Length: > 0 } name ? (name.Length > MaxListName ? name[..MaxListName] : name) : null;

    private static string? Text(JsonObject item, string name)
        => item[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static IResult Error(int status, string message) => Results.Json(new JsonObject { ["code"] = status, ["message"] = message }, statusCode: status);

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    string? IEmulatorModule.Seed(int contacts)
    {
        lock (_gate)
        {
            for (var n = 0; n < contacts; n++)
            {
                var phone = string.Create(CultureInfo.InvariantCulture, $"+14153{n:D6}");
                var contact = new OctopushContactState();
                contact.Fields["phone_number"] = phone;
                _contacts.TryAdd(phone, contact);
            }
        }

        return $"Octopush: {contacts:N0} contacts in the account";
    }

    private sealed class OctopushContactState
    {
        public Dictionary<string, string?> Fields { get; } = new(StringComparer.Ordinal);
    }
}
