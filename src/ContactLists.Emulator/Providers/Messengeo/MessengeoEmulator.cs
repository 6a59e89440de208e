using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ContactLists.Emulator.Providers.Messengeo;

/// <summary>
/// The Digitaleo contacts API behind Messengeo over an in-memory store: an OAuth2 token issuer (client credentials in
/// the form, tokens tens of kilobytes long), <c>/rest/lists</c> and <c>/rest/contacts</c> addressed by filters,
/// form-urlencoded bodies with <c>metaData</c> JSON, <c>action</c> in the query string, ids as JSON strings,
/// <c>{size,total,list}</c> envelopes, <c>{count}</c> results, 417 for invalid data, merge, and file import that
/// completes over emulator time and reports its lines, invalid lines and an error report.
/// </summary>
public sealed partial class MessengeoEmulator : IEmulatorModule
{
    /// <summary>The path prefix the module is served under.</summary>
    public const string Prefix = "/messengeo";

    /// <inheritdoc/>
    string IEmulatorModule.Provider => "Messengeo";

    /// <inheritdoc/>
    IEnumerable<KeyValuePair<string, string>> IEmulatorModule.ClientSettings(Uri root)
    {
        yield return new("BaseAddress", new Uri(root, Prefix).ToString());
        yield return new("TokenEndpoint", new Uri(root, Prefix + "/token").ToString());
        yield return new("ClientId", ClientId);
        yield return new("ClientSecret", ClientSecret);
    }

    private readonly EmulatorOptions _options;
    private readonly ModuleRequests _requests;
    private readonly object _gate = new();
    private readonly Dictionary<string, DateTimeOffset> _tokens = new(StringComparer.Ordinal);
    private readonly SortedDictionary<long, ListState> _lists = [];
    private readonly SortedDictionary<long, Dictionary<string, string?>> _contacts = [];

    // The contacts by mobile number and by e-mail (Messengeo lets two contacts share one), and the lists of each
    // contact, so that lookups, a list's pages and a contact's listIds stay cheap on an account of a million.
    private readonly Dictionary<string, SortedSet<long>> _byMobile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SortedSet<long>> _byEmail = new(StringComparer.Ordinal);
    private readonly Dictionary<long, HashSet<long>> _listsOf = [];
    private readonly OrderedSet<long> _contactOrder = new();
    private long _nextListId = 4411;
    private long _nextContactId = 700_123;

    internal MessengeoEmulator(EmulatorOptions options, EmulatorRequestLog log)
    {
        _options = options;
        _requests = new("Messengeo", Prefix, options, log, _gate, logQuery: true);
    }

    /// <summary>The client id the token issuer accepts.</summary>
    public string ClientId => _options.MessengeoClientId;

    /// <summary>The client secret the token issuer accepts.</summary>
    public string ClientSecret => _options.MessengeoClientSecret;

    /// <summary>The mobile numbers of a list's members.</summary>
    /// <param name="listId">The list.</param>
    public IReadOnlyList<string?> GetMemberMobiles(string listId)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(long.Parse(listId, CultureInfo.InvariantCulture), out var list)
                ? list.Members.All.Select(id => _contacts[id].GetValueOrDefault("mobile")).ToArray()
                : [];
        }
    }

    /// <summary>How many contacts the account holds.</summary>
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

    /// <summary>Deletes a contact (as Digitaleo's web app would): it leaves every list and its id is no longer known.</summary>
    /// <param name="contactId">The contact.</param>
    /// <returns>Whether it existed.</returns>
    public bool DeleteContact(string contactId)
    {
        var id = long.Parse(contactId, CultureInfo.InvariantCulture);
        lock (_gate)
        {
            if (!_contacts.Remove(id, out var contact))
            {
                return false;
            }

            Unindex(id, contact);
            _contactOrder.Remove(id);
            foreach (var list in _lists.Values)
            {
                list.Members.Remove(id);
            }

            _listsOf.Remove(id);
            return true;
        }
    }

    /// <summary>
    /// Sets a contact's opt-outs (as the contact would by replying STOP or unsubscribing, or the Digitaleo app):
    /// <c>smsOptout</c> and <c>emailOptout</c> are <see langword="null"/> (not opted out), <c>contact</c> or <c>user</c>
    /// (and, for e-mail, <c>hardbounced</c> or <c>spam</c>).
    /// </summary>
    /// <param name="contactId">The contact.</param>
    /// <param name="smsOptout">The SMS opt-out.</param>
    /// <param name="emailOptout">The e-mail opt-out.</param>
    public void SetOptOut(string contactId, string? smsOptout, string? emailOptout)
    {
        lock (_gate)
        {
            var contact = _contacts[long.Parse(contactId, CultureInfo.InvariantCulture)];
            contact["smsOptout"] = smsOptout;
            contact["emailOptout"] = emailOptout;
        }
    }

    /// <summary>A contact's properties as stored (a copy), or <see langword="null"/>.</summary>
    /// <param name="contactId">The contact.</param>
    public IReadOnlyDictionary<string, string?>? GetContact(string contactId)
    {
        lock (_gate)
        {
            return _contacts.TryGetValue(long.Parse(contactId, CultureInfo.InvariantCulture), out var contact) ? new Dictionary<string, string?>(contact) : null;
        }
    }

    /// <summary>A property of each member of a list (such as <c>email</c> or <c>field01</c>), in the order they joined.</summary>
    /// <param name="listId">The list.</param>
    /// <param name="property">The property.</param>
    public IReadOnlyList<string?> GetMemberProperty(string listId, string property)
    {
        lock (_gate)
        {
            return _lists.TryGetValue(long.Parse(listId, CultureInfo.InvariantCulture), out var list)
                ? list.Members.All.Select(id => _contacts[id].GetValueOrDefault(property)).ToArray()
                : [];
        }
    }

    void IEmulatorModule.OnStarted(Uri baseAddress) => BaseAddress = new Uri(baseAddress, Prefix + "/");

    void IEmulatorModule.Map(IEndpointRouteBuilder app)
    {
        app.MapPost(Prefix + "/token", (HttpContext http, CancellationToken ct) => IssueTokenAsync(http));
        app.MapGet(Prefix + "/rest/lists", (HttpContext http) => Handle(http, () => ReadLists(http.Request.Query)));
        app.MapPost(Prefix + "/rest/lists", (HttpContext http, CancellationToken ct) => HandleFormAsync(http, form => http.Request.Query["action"].ToString() switch
        {
            "" or "create" => CreateList(form),
            "merge" => Merge(form),
            "import" => Import(form, http.Request.Query),
            "contactadd" => Membership(form, add: true),
            "contactremove" => Membership(form, add: false),
            var other => Error(400, $"Unknown action '{other}'."),
        }));
        app.MapPut(Prefix + "/rest/lists", (HttpContext http, CancellationToken ct) => HandleFormAsync(http, form => UpdateLists(http.Request.Query, form)));
        app.MapDelete(Prefix + "/rest/lists", (HttpContext http) => Handle(http, () => DeleteLists(http.Request.Query)));
        app.MapGet(Prefix + "/rest/contacts", (HttpContext http) => Handle(http, () => ReadContacts(http.Request.Query)));
        app.MapPost(Prefix + "/rest/contacts", (HttpContext http, CancellationToken ct) => HandleFormAsync(http, CreateContacts));
        app.MapPut(Prefix + "/rest/contacts", (HttpContext http, CancellationToken ct) => HandleFormAsync(http, form => UpdateContacts(http.Request.Query, form)));
        app.MapGet(Prefix + "/imports/{listId}/errors.csv", (string listId) =>
        {
            lock (_gate)
            {
                return _lists.TryGetValue(long.Parse(listId, CultureInfo.InvariantCulture), out var list)
                    ? Results.Text("line;reason\n" + string.Join('\n', list.ImportErrorLines), "text/csv")
                    : Results.NotFound();
            }
        });
    }

    private async Task<IResult> IssueTokenAsync(HttpContext http)
    {
        IResult result;
        var form = await ModuleRequests.ReadFormAsync(http).ConfigureAwait(false);
        if (form["grant_type"] != "client_credentials")
        {
            result = Results.Json(new JsonObject { ["error"] = "unsupported_grant_type", ["error_description"] = "Use grant_type=client_credentials" }, statusCode: 400);
        }
        else if (form["client_id"] != ClientId || form["client_secret"] != ClientSecret)
        {
            result = Results.Json(new JsonObject { ["error"] = "invalid_client", ["error_description"] = "The client credentials are invalid" }, statusCode: 400);
        }
        else
        {
            // Digitaleo's tokens are JWTs of up to 50,000 characters: this one is 20,000, so that header limits show up in tests.
            var token = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9." + new string('x', 20_000) + Guid.NewGuid().ToString("N");
            lock (_gate)
            {
                _tokens[token] = _options.TimeProvider.GetUtcNow() + _options.MessengeoTokenLifetime;
            }

            result = Results.Json(new JsonObject { ["access_token"] = token, ["expires_in"] = (long)_options.MessengeoTokenLifetime.TotalSeconds, ["token_type"] = "bearer", ["scope"] = "contacts" });
        }

        _requests.Log(http, result);
        return result;
    }

    private async Task<IResult> HandleFormAsync(HttpContext http, Func<IFormCollection, IResult> handler)
    {
        var form = await ModuleRequests.ReadFormAsync(http).ConfigureAwait(false);
        return Handle(http, () => handler(form));
    }

    private IResult Handle(HttpContext http, Func<IResult> handler)
        => _requests.Answer(http, () => Authorize(http), handler);

    // Under the lock: the tokens issued are the module's state.
    private IResult? Authorize(HttpContext http)
    {
        var header = http.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;
        return token is null || !_tokens.TryGetValue(token, out var expires) || _options.TimeProvider.GetUtcNow() >= expires
            ? Error(401, "Invalid or expired access token.")
            : null;
    }

    private IResult ReadLists(IQueryCollection query)
    {
        var properties = Properties(query);
        IEnumerable<ListState> lists = _lists.Values;
        if (query["id"].ToString() is { Length: > 0 } ids)
        {
            var wanted = ids.Split(',').ToHashSet(StringComparer.Ordinal);
            lists = lists.Where(l => wanted.Contains(l.Id.ToString(CultureInfo.InvariantCulture)));
        }

        if (query["sort"].ToString() == "id DESC")
        {
            lists = lists.Reverse();
        }

        return Envelope(lists.Select(l => l.ToJson(properties, this)).ToList(), query);
    }

    private IResult CreateList(IFormCollection form)
    {
        if (form["name"].ToString() is not { Length: > 0 } name)
        {
            return Error(417, "name is required.");
        }

        var list = AddList(name, form["description"].ToString() is { Length: > 0 } d ? d : null);
        return Json(201, new JsonObject { ["size"] = 1, ["total"] = 1, ["list"] = new JsonArray(list.ToJson(["DEFAULT"], this)) });
    }

    private IResult UpdateLists(IQueryCollection query, IFormCollection form)
    {
        if (query["id"].ToString() is not { Length: > 0 } ids)
        {
            return Error(400, "An id filter is required.");
        }

        var metaData = ParseObject(form["metaData"].ToString());
        if (metaData is null)
        {
            return Error(400, "metaData must be a JSON object.");
        }

        var count = 0;
        foreach (var list in Matching(ids))
        {
            list.Name = metaData["name"]?.GetValue<string>() ?? list.Name;
            list.Description = metaData["description"]?.GetValue<string>() ?? list.Description;
            count++;
        }

        return Json(200, new JsonObject { ["count"] = count });
    }

    private IResult DeleteLists(IQueryCollection query)
    {
        if (query["id"].ToString() is not { Length: > 0 } ids)
        {
            return Error(400, "An id filter is required.");
        }

        var matching = Matching(ids).ToList();
        matching.ForEach(l => _lists.Remove(l.Id));
        return Json(200, new JsonObject { ["count"] = matching.Count });
    }

    private IResult Merge(IFormCollection form)
    {
        var ids = form["listIds"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = ids.Where(id => !long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || !_lists.ContainsKey(n)).ToArray();
        if (ids.Length == 0 || unknown.Length > 0 || form["name"].ToString() is not { Length: > 0 } name)
        {
            return Error(417, ids.Length == 0 ? "listIds is required." : unknown.Length > 0 ? $"Invalid list ids: {string.Join(',', unknown)}" : "name is required.");
        }

        var merged = AddList(name, null);
        foreach (var member in ids.SelectMany(id => _lists[long.Parse(id, CultureInfo.InvariantCulture)].Members.All).Distinct().ToList())
        {
            Join(merged, member);
        }

        return Json(201, new JsonObject { ["size"] = 1, ["total"] = 1, ["list"] = new JsonArray(merged.ToJson(["DEFAULT", "stats"], this)) });
    }

    private IResult Import(IFormCollection form, IQueryCollection query)
    {
        // Where name and ignoreFirstLine go, and how the flag is written, are not confirmed: the module reads them only
        // where, and only as, its settings say, so a client sending another form is caught (wrong name, header imported).
        string Parameter(string key) => _options.MessengeoImportParametersInQuery ? query[key].ToString() : form[key].ToString();
        var (yes, no) = _options.MessengeoImportFlagAsNumber ? ("1", "0") : ("true", "false");
        var flag = Parameter("ignoreFirstLine");
        if (flag.Length > 0 && flag != yes && flag != no)
        {
            return Error(417, $"ignoreFirstLine must be {yes} or {no}.");
        }

        var file = form.Files["contactFile"];
        if (file is null || file.Length == 0)
        {
            return Error(417, "contactFile is required.");
        }

        if (file.Length > 20L * 1024 * 1024)
        {
            return Error(413, "The file is larger than 20 MB.");
        }

        var extension = Path.GetExtension(file.FileName).ToLowerInvariant();
        if (extension is not (".csv" or ".xls" or ".xlsx" or ".zip"))
        {
            return Error(417, "The file must be csv, xls, xlsx or zip.");
        }

        var name = Parameter("name") is { Length: > 0 } n ? n : Path.GetFileNameWithoutExtension(file.FileName);
        var list = AddList(name, null);
        list.ImportStarted = _options.TimeProvider.GetUtcNow();
        using (var reader = new StreamReader(file.OpenReadStream()))
        {
            var lines = reader.ReadToEnd().Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
            if (flag == yes)
            {
                lines = lines.Skip(1).ToList();
            }

            list.PendingImport = lines;
        }

        return Json(201, new JsonObject { ["size"] = 1, ["total"] = 1, ["list"] = new JsonArray(list.ToJson(["DEFAULT", "importStatus"], this)) });
    }

    // Applied once the import's time has passed: every row in the documented fixed column order is checked.
    private void CompleteImport(ListState list)
    {
        var row = 0;
        foreach (var line in list.PendingImport!)
        {
            row++;
            var cells = line.Split(line.Contains(';', StringComparison.Ordinal) ? ';' : ',');
            string? Cell(int i) => i < cells.Length && cells[i].Trim().Length > 0 ? cells[i].Trim() : null;
            var (email, mobile) = (Cell(3), Cell(5));
            if ((email is null || !Email().IsMatch(email)) && (mobile is null || !E164().IsMatch(mobile)))
            {
                list.ImportErrorLines.Add($"{row};no valid email or mobile");
                continue;
            }

            var id = _nextContactId++;
            StoreContact(id, new Dictionary<string, string?> { ["civility"] = Cell(0), ["firstName"] = Cell(1), ["lastName"] = Cell(2), ["email"] = email, ["mobile"] = mobile });
            Join(list, id);
        }

        list.ImportLines = row;
        list.PendingImport = null;
    }

    private IResult Membership(IFormCollection form, bool add)
    {
        if (!long.TryParse(form["id"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var listId) || !_lists.TryGetValue(listId, out var list))
        {
            return Error(404, $"List {form["id"]} not found.");
        }

        var metaData = ParseObject(form["metaData"].ToString());
        if (metaData?["contactIds"] is not JsonValue value || !value.TryGetValue<string>(out var text))
        {
            return Error(417, "metaData.contactIds must be a comma-separated string of contact ids.");
        }

        var count = 0;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var contactId) || !_contacts.ContainsKey(contactId))
            {
                continue;
            }

            if (add ? Join(list, contactId) : Leave(list, contactId))
            {
                count++;
            }
        }

        return Json(200, new JsonObject { ["count"] = count });
    }

    string? IEmulatorModule.Seed(int contacts)
    {
        lock (_gate)
        {
            for (var n = 0; n < contacts; n++)
            {
                StoreContact(_nextContactId++, new Dictionary<string, string?>
                {
                    ["mobile"] = string.Create(CultureInfo.InvariantCulture, $"+14153{n:D6}"),
                    ["email"] = string.Create(CultureInfo.InvariantCulture, $"seed{n}@example.com"),
                });
            }
        }

        return $"Messengeo: {contacts:N0} contacts in the account";
    }

    private void StoreContact(long id, Dictionary<string, string?> contact)
    {
        _contacts[id] = contact;
        _contactOrder.Add(id);
        Index(id, contact);
    }

    private void Index(long id, Dictionary<string, string?> contact)
    {
        foreach (var (property, index) in new[] { ("mobile", _byMobile), ("email", _byEmail) })
        {
            if (contact.GetValueOrDefault(property) is { } value)
            {
                if (!index.TryGetValue(value, out var ids))
                {
                    index[value] = ids = [];
                }

                ids.Add(id);
            }
        }
    }

    private void Unindex(long id, Dictionary<string, string?> contact)
    {
        foreach (var (property, index) in new[] { ("mobile", _byMobile), ("email", _byEmail) })
        {
            if (contact.GetValueOrDefault(property) is { } value && index.TryGetValue(value, out var ids))
            {
                ids.Remove(id);
            }
        }
    }

    private bool Join(ListState list, long contactId)
    {
        if (!list.Members.Add(contactId))
        {
            return false;
        }

        if (!_listsOf.TryGetValue(contactId, out var lists))
        {
            _listsOf[contactId] = lists = [];
        }

        lists.Add(list.Id);
        return true;
    }

    private bool Leave(ListState list, long contactId)
    {
        if (!list.Members.Remove(contactId))
        {
            return false;
        }

        _listsOf.GetValueOrDefault(contactId)?.Remove(list.Id);
        return true;
    }

    /// <summary>
    /// Changes the properties given in <c>metaData</c> of the contacts the filter selects (an <c>id</c> filter is required
    /// here, as for lists), opt-outs included when they are sent: Digitaleo documents updates of any property.
    /// </summary>
    private IResult UpdateContacts(IQueryCollection query, IFormCollection form)
    {
        if (query["id"].ToString() is not { Length: > 0 } ids)
        {
            return Error(400, "An id filter is required.");
        }

        var metaData = ParseObject(form["metaData"].ToString());
        if (metaData is null)
        {
            return Error(400, "metaData must be a JSON object.");
        }

        if (metaData["email"] is JsonValue email && email.TryGetValue<string>(out var address) && !Email().IsMatch(address))
        {
            return Error(417, $"Invalid email: {address}");
        }

        var count = 0;
        foreach (var raw in ids.Split(','))
        {
            if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var id) || !_contacts.TryGetValue(id, out var contact))
            {
                continue;
            }

            Unindex(id, contact);
            foreach (var (property, value) in metaData)
            {
                contact[property] = value is JsonValue v && v.TryGetValue<string>(out var text) ? text : value?.ToJsonString();
            }

            Index(id, contact);
            count++;
        }

        return Json(200, new JsonObject { ["count"] = count });
    }

    private IResult ReadContacts(IQueryCollection query)
    {
        // A filter's value is several values separated by commas, as Messengeo's filter page documents for filters in
        // general; whether mobile and email read it so is not confirmed, so the other reading (the value whole) is a setting.
        string[] Values(string key, string value) => key is "id" or "listIds" || _options.MessengeoMultiValueFilters ? value.Split(',') : [value];
        var filters = query.Where(q => q.Key is not ("limit" or "offset" or "properties" or "sort" or "total")).Select(q => (q.Key, Values: Values(q.Key, q.Value.ToString()))).ToList();

        // Narrowed by an index when a filter has one (a list's members in the order they joined, ids, mobiles, e-mails);
        // every filter is still applied to what is left.
        IReadOnlyList<long> candidates = _contactOrder.All;
        var narrowed = filters.FirstOrDefault(f => f.Key is "listIds" or "id" or "mobile" or "email");
        if (narrowed.Key is "listIds" && narrowed.Values is [var only] && long.TryParse(only, NumberStyles.None, CultureInfo.InvariantCulture, out var listId))
        {
            candidates = _lists.TryGetValue(listId, out var list) ? list.Members.All : [];
        }
        else if (narrowed.Key is "id")
        {
            candidates = narrowed.Values.Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : -1).Where(_contacts.ContainsKey).Distinct().Order().ToList();
        }
        else if (narrowed.Key is "mobile" or "email")
        {
            var index = narrowed.Key == "mobile" ? _byMobile : _byEmail;
            candidates = narrowed.Values.SelectMany(v => index.TryGetValue(v, out var ids) ? ids : []).Distinct().Order().ToList();
        }

        var matching = filters.Count == 0 || (filters.Count == 1 && narrowed.Key is not null && (narrowed.Key != "listIds" || narrowed.Values.Length == 1))
            ? candidates
            : candidates.Where(id => filters.All(f => Matches(id, f.Key, f.Values))).ToList();
        var properties = Properties(query);
        return Page(matching, query, id => ContactJson(id, _contacts[id], properties));
    }

    private bool Matches(long id, string key, string[] wanted) => key switch
    {
        "id" => wanted.Contains(id.ToString(CultureInfo.InvariantCulture)),
        "listIds" => wanted.Any(l => long.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var list) && _listsOf.GetValueOrDefault(id)?.Contains(list) == true),
        _ => _contacts[id].GetValueOrDefault(key) is { } held && wanted.Contains(held),
    };

    private IResult CreateContacts(IFormCollection form)
    {
        var rows = new SortedDictionary<int, Dictionary<string, string?>>();
        foreach (var (key, value) in form)
        {
            var match = Bracket().Match(key);
            if (!match.Success)
            {
                continue;
            }

            var index = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            if (!rows.TryGetValue(index, out var row))
            {
                rows[index] = row = new Dictionary<string, string?>(StringComparer.Ordinal);
            }

            row[match.Groups[2].Value] = value.ToString();
        }

        if (rows.Count == 0)
        {
            return Error(417, "contacts is required.");
        }

        foreach (var row in rows.Values)
        {
            if (row.GetValueOrDefault("email") is { } email && !Email().IsMatch(email))
            {
                return Error(417, $"Invalid email: {email}");
            }
        }

        var created = new List<JsonNode>();
        foreach (var row in rows.Values)
        {
            var id = _nextContactId++;
            StoreContact(id, row);
            created.Add(ContactJson(id, row));
        }

        return Json(201, new JsonObject { ["size"] = created.Count, ["total"] = created.Count, ["list"] = new JsonArray(created.ToArray()) });
    }

    private ListState AddList(string name, string? description)
    {
        var list = new ListState(_nextListId++, name, description, _options.TimeProvider.GetUtcNow());
        _lists[list.Id] = list;
        return list;
    }

    private List<ListState> Matching(string ids)
    {
        var wanted = ids.Split(',').ToHashSet(StringComparer.Ordinal);
        return _lists.Values.Where(l => wanted.Contains(l.Id.ToString(CultureInfo.InvariantCulture))).ToList();
    }

    /// <summary>
    /// A contact as JSON. A read returns only the properties it asks for (<paramref name="properties"/>): Messengeo's
    /// default set for contacts is not documented, so here <c>DEFAULT</c> is the id alone, and a client that relies on
    /// more without asking finds out in its tests. A create's answer (no <paramref name="properties"/>) has them all.
    /// </summary>
    private JsonObject ContactJson(long id, Dictionary<string, string?> fields, string[]? properties = null)
    {
        var json = new JsonObject { ["id"] = id.ToString(CultureInfo.InvariantCulture) };
        if (properties is null || properties.Contains("listIds"))
        {
            json["listIds"] = new JsonArray((_listsOf.GetValueOrDefault(id) ?? []).Order().Select(l => (JsonNode)l.ToString(CultureInfo.InvariantCulture)).ToArray());
        }

        foreach (var (key, value) in fields)
        {
            if (properties is null || properties.Contains(key))
            {
                json[key] = value;
            }
        }

        return json;
    }

    private IResult Envelope(List<JsonObject> items, IQueryCollection query) => Page(items, query, item => item);

    /// <summary>One page of <paramref name="items"/> at the query's offset and limit (capped at the largest limit); only that page is turned into JSON.</summary>
    private IResult Page<T>(IReadOnlyList<T> items, IQueryCollection query, Func<T, JsonObject> json)
    {
        var asked = int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out var l) ? l : 50;
        var limit = Math.Min(asked, _options.MessengeoMaxLimit);
        var offset = int.TryParse(query["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o) ? o : 0;
        var page = Enumerable.Range(offset, Math.Clamp(items.Count - offset, 0, limit)).Select(i => (JsonNode)json(items[i])).ToArray();
        var envelope = new JsonObject { ["size"] = page.Length, ["list"] = new JsonArray(page) };
        if (query["total"] == "true")
        {
            envelope["total"] = items.Count;
        }

        return Json(200, envelope);
    }

    private static string[] Properties(IQueryCollection query)
        => query["properties"].ToString() is { Length: > 0 } p ? p.Split(',') : ["DEFAULT"];

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Json(int status, JsonNode body) => Results.Text(body.ToJsonString(), "application/json", statusCode: status);

    private static IResult Error(int status, string message)
        => Json(status, new JsonObject { ["status"] = status, ["message"] = message, ["messages"] = new JsonArray(new JsonObject { ["details"] = message }) });

    [GeneratedRegex(@"^contacts\[(\d+)\]\[(\w+)\]$")]
    private static partial Regex Bracket();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164();

    private sealed class ListState(long id, string name, string? description, DateTimeOffset created)
    {
        public long Id { get; } = id;
        public string Name { get; set; } = name;
        public string? Description { get; set; } = description;
        public DateTimeOffset Created { get; } = created;
        public OrderedSet<long> Members { get; } = new();
        public DateTimeOffset? ImportStarted { get; set; }
        public List<string>? PendingImport { get; set; }
        public long? ImportLines { get; set; }
        public List<string> ImportErrorLines { get; } = [];

        public JsonObject ToJson(string[] properties, MessengeoEmulator emulator)
        {
            var json = new JsonObject
            {
                ["id"] = Id.ToString(CultureInfo.InvariantCulture),
                ["name"] = Name,
                ["description"] = Description,
            };

            // Not in the default set (documented): only when asked for.
            if (properties.Contains("dateCreated"))
            {
                json["dateCreated"] = Created.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            }

            if (properties.Contains("stats"))
            {
                json["stats"] = new JsonObject { ["subscribers"] = Members.Count, ["sms"] = Members.Count, ["email"] = Members.Count };
            }

            if (properties.Contains("importStatus"))
            {
                json["importStatus"] = ImportStatus(emulator);
            }

            if (properties.Contains("importLines"))
            {
                json["importLines"] = ImportLines?.ToString(CultureInfo.InvariantCulture);
            }

            if (properties.Contains("importInvalid"))
            {
                json["importInvalid"] = ImportStarted is null || PendingImport is not null ? null : ImportErrorLines.Count;
            }

            if (properties.Contains("importErrors"))
            {
                json["importErrors"] = ImportStarted is null || PendingImport is not null ? null : $"{emulator.BaseAddress}imports/{Id}/errors.csv";
            }

            return json;
        }

        // An import runs for MessengeoImportDuration of emulator time: "on", then a percentage, then "ok".
        private string? ImportStatus(MessengeoEmulator emulator)
        {
            if (ImportStarted is not { } started)
            {
                return null;
            }

            if (PendingImport is null)
            {
                return "ok";
            }

            var elapsed = emulator._options.TimeProvider.GetUtcNow() - started;
            var duration = emulator._options.MessengeoImportDuration;
            if (elapsed >= duration)
            {
                emulator.CompleteImport(this);
                return "ok";
            }

            return elapsed < duration / 4 ? "on" : ((int)(elapsed / duration * 100)).ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>The module's address, for links it returns (set when the emulator starts).</summary>
    internal Uri BaseAddress { get; set; } = new("http://127.0.0.1/messengeo/");
}
