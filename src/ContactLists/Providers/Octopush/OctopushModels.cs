using System.Text.Json.Serialization;

namespace ContactLists.Providers.Octopush;

// Wire types of Octopush's contact endpoints (api.octopush.com/v1/public), named as Octopush documents them.
// Lists and tags are addressed by name. JSON names are snake_case through OctopushJsonContext.

/// <summary>A contact in <c>POST /contact/create</c>.</summary>
public sealed class OctopushContact
{
    /// <summary>The phone number in international form (the SDK sends E.164).</summary>
    public string PhoneNumber { get; set; } = string.Empty;

    /// <summary>First name.</summary>
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    public string? LastName { get; set; }

    /// <summary>Free parameter 1.</summary>
    public string? Param1 { get; set; }

    /// <summary>Free parameter 2.</summary>
    public string? Param2 { get; set; }

    /// <summary>Free parameter 3.</summary>
    public string? Param3 { get; set; }

    /// <summary>Free parameter 4.</summary>
    public string? Param4 { get; set; }

    /// <summary>Free parameter 5.</summary>
    public string? Param5 { get; set; }
}

/// <summary>The body of <c>POST /contact/create</c>: adds (or, by phone number, updates) contacts and attaches them to lists and tags.</summary>
public sealed class OctopushCreateContactsRequest
{
    /// <summary>The contacts (required).</summary>
    public List<OctopushContact> Contacts { get; set; } = [];

    /// <summary>The list to attach the contacts to (created if missing; at most 30 characters).</summary>
    public string? ListName { get; set; }

    /// <summary>Several lists to attach the contacts to.</summary>
    public List<string>? ListNames { get; set; }

    /// <summary>Detach the contacts from all their lists.</summary>
    public bool? UnList { get; set; }

    /// <summary>A tag to attach (at most 20 characters).</summary>
    public string? TagName { get; set; }

    /// <summary>Several tags to attach.</summary>
    public List<string>? TagNames { get; set; }

    /// <summary>Detach all tags from the contacts.</summary>
    public bool? UnTag { get; set; }

    /// <summary>Leave existing contacts untouched (the name's meaning; one doc page words it the other way round).</summary>
    public bool? DoNotOverwrite { get; set; }

    /// <summary>Skip opted-out contacts (the name in the current reference).</summary>
    public bool? AutoDeleteOptoutContacts { get; set; }

    /// <summary>Skip blacklisted numbers (the name in the older docs; which name the service honours is not confirmed).</summary>
    public bool? AutoRemoveBlacklistedNumbers { get; set; }
}

/// <summary>The body of <c>DELETE /contact/delete</c> (a DELETE with a JSON body).</summary>
public sealed class OctopushDeleteContactsRequest
{
    /// <summary>1 to 200 phone numbers.</summary>
    public List<string> PhoneNumbers { get; set; } = [];

    /// <summary>When set, the contacts leave this list only; when not, they are deleted from the account.</summary>
    public string? ListName { get; set; }
}

/// <summary>The body of <c>POST /contact-list/create</c> and <c>DELETE /contact-list/delete</c>.</summary>
public sealed class OctopushContactListRequest
{
    /// <summary>The list's name.</summary>
    public string ListName { get; set; } = string.Empty;
}

/// <summary>The body of <c>POST /contact-list/empty</c>.</summary>
public sealed class OctopushEmptyContactListRequest
{
    /// <summary>The list's name.</summary>
    public string ListName { get; set; } = string.Empty;

    /// <summary>Also delete the contacts from the account.</summary>
    public bool DeleteContacts { get; set; }
}

/// <summary>Source-generated JSON metadata for Octopush's wire types.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OctopushCreateContactsRequest))]
[JsonSerializable(typeof(OctopushDeleteContactsRequest))]
[JsonSerializable(typeof(OctopushContactListRequest))]
[JsonSerializable(typeof(OctopushEmptyContactListRequest))]
internal sealed partial class OctopushJsonContext : JsonSerializerContext;
