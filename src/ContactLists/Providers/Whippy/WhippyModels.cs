using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ContactLists.Providers.Whippy;

// Wire types of Whippy's contact-list endpoints, named and shaped as Whippy documents them
// (docs.whippy.ai; see docs/providers/whippy.md). JSON names are snake_case through WhippyJsonContext.
// Response types keep unknown fields in ExtensionData, since several response shapes are not fully documented.

/// <summary>A Whippy contact list (<c>GET /v1/contacts/lists/{id}</c> also embeds its contacts).</summary>
public sealed class WhippyContactList
{
    /// <summary>The list's id (a UUID).</summary>
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    /// <summary>The list's name (Whippy trims it and collapses repeated spaces).</summary>
    public string? Name { get; set; }

    /// <summary>A hex colour, such as <c>#ffeb3b</c>.</summary>
    public string? Color { get; set; }

    /// <summary><c>active</c>, <c>archived</c> or <c>deleted</c>.</summary>
    public string? State { get; set; }

    /// <summary>The organization's id.</summary>
    public string? OrganizationId { get; set; }

    /// <summary>When the list was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the list was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>The first page of the list's contacts, on <c>GET /v1/contacts/lists/{id}</c> only.</summary>
    public WhippyContactPage? Contacts { get; set; }

    /// <summary>Fields Whippy sent that are not documented.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A page of contact lists: <c>{ "data": [...], "total": n }</c>.</summary>
public sealed class WhippyContactListPage
{
    /// <summary>The lists on this page.</summary>
    [JsonRequired]
    public List<WhippyContactList> Data { get; set; } = [];

    /// <summary>How many lists there are in all.</summary>
    public long? Total { get; set; }
}

/// <summary>A page of contacts embedded in a list: <c>{ "data": [...], "total": n }</c>.</summary>
public sealed class WhippyContactPage
{
    /// <summary>The contacts on this page.</summary>
    public List<WhippyContact> Data { get; set; } = [];

    /// <summary>How many contacts the list holds in all.</summary>
    public long? Total { get; set; }
}

/// <summary>The envelope of a single list: <c>{ "data": { ... } }</c>.</summary>
public sealed class WhippyContactListResponse
{
    /// <summary>The list.</summary>
    [JsonRequired]
    public WhippyContactList? Data { get; set; }
}

/// <summary>The answer to <c>PUT /v1/contacts/lists/{id}/contacts</c>: <c>{ "data": { "message": "Contact list contacts are being updated" } }</c>.</summary>
public sealed class WhippyMessageResponse
{
    /// <summary>The message holder.</summary>
    [JsonRequired]
    public WhippyMessage? Data { get; set; }
}

/// <summary>A message from Whippy.</summary>
public sealed class WhippyMessage
{
    /// <summary>The message, such as <c>Contact list contacts are being updated</c>.</summary>
    [JsonRequired]
    public string? Message { get; set; }
}

/// <summary>A contact as Whippy returns it (partly undocumented; read tolerantly).</summary>
public sealed class WhippyContact
{
    /// <summary>Whippy's id for the contact (a UUID).</summary>
    public string? Id { get; set; }

    /// <summary>The phone number, E.164.</summary>
    public string? Phone { get; set; }

    /// <summary>The e-mail address.</summary>
    public string? Email { get; set; }

    /// <summary>The contact's name (one field).</summary>
    public string? Name { get; set; }

    /// <summary>The caller's id for the contact.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The preferred language.</summary>
    public string? Language { get; set; }

    /// <summary>The contact's state: <c>open</c>, <c>archived</c> or <c>blocked</c>.</summary>
    public string? State { get; set; }

    /// <summary>Whether the contact is blocked.</summary>
    public bool? Blocked { get; set; }

    /// <summary>The contact's address.</summary>
    public WhippyAddress? Address { get; set; }

    /// <summary>The contact's birth date.</summary>
    public WhippyBirthDate? BirthDate { get; set; }

    /// <summary>Custom properties.</summary>
    public Dictionary<string, JsonNode?>? Properties { get; set; }

    /// <summary>When the contact was created.</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When the contact was last changed.</summary>
    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Fields Whippy sent that are not modelled here.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A contact to create or update, as sent in <c>contacts</c> (create list, update list contacts).</summary>
public sealed class WhippyContactInput
{
    /// <summary>Required: the phone number in E.164 form.</summary>
    public string Phone { get; set; } = string.Empty;

    /// <summary>The contact's name (at most 255 characters).</summary>
    public string? Name { get; set; }

    /// <summary>The e-mail address (at most 255 characters).</summary>
    public string? Email { get; set; }

    /// <summary>The caller's id for the contact; unique per contact.</summary>
    public string? ExternalId { get; set; }

    /// <summary>The preferred language.</summary>
    public string? Language { get; set; }

    /// <summary>The id of the channel the contact receives messages from by default.</summary>
    public string? DefaultChannelId { get; set; }

    /// <summary>The contact's address.</summary>
    public WhippyAddress? Address { get; set; }

    /// <summary>The contact's birth date.</summary>
    public WhippyBirthDate? BirthDate { get; set; }

    /// <summary>Custom properties, by the keys of the organization's contact custom object.</summary>
    public Dictionary<string, JsonNode?>? Properties { get; set; }
}

/// <summary>A postal address.</summary>
public sealed class WhippyAddress
{
    /// <summary>First line.</summary>
    public string? AddressLineOne { get; set; }

    /// <summary>Second line.</summary>
    public string? AddressLineTwo { get; set; }

    /// <summary>City.</summary>
    public string? City { get; set; }

    /// <summary>State or region.</summary>
    public string? State { get; set; }

    /// <summary>Country.</summary>
    public string? Country { get; set; }

    /// <summary>Postcode (the key <c>post_code</c> is what Whippy's own sync client sends; another source says <c>postal_code</c>).</summary>
    public string? PostCode { get; set; }
}

/// <summary>A birth date.</summary>
public sealed class WhippyBirthDate
{
    /// <summary>Day of the month.</summary>
    public int? Day { get; set; }

    /// <summary>Month, 1 to 12.</summary>
    public int? Month { get; set; }

    /// <summary>Year.</summary>
    public int? Year { get; set; }
}

/// <summary>A channel to opt contacts in to: by channel id, by channel phone, or both.</summary>
public sealed class WhippyOptIn
{
    /// <summary>The channel's id.</summary>
    public string? Id { get; set; }

    /// <summary>The channel's phone number.</summary>
    public string? Phone { get; set; }
}

/// <summary>The body of <c>POST /v1/contacts/lists</c>.</summary>
public sealed class WhippyCreateContactListRequest
{
    /// <summary>The list's name.</summary>
    public string Name { get; set; } = string.Empty;

    /// <summary>A hex colour.</summary>
    public string? Color { get; set; }

    /// <summary>Contacts to put in the list (1 to 4000 when sent).</summary>
    public List<WhippyContactInput>? Contacts { get; set; }

    /// <summary>Channels to opt the contacts in to (1 to 1000 when sent).</summary>
    public List<WhippyOptIn>? OptInTo { get; set; }

    /// <summary>Opt the contacts in to every channel of the organization (Whippy's default: true).</summary>
    public bool? OptInToAllChannels { get; set; }
}

/// <summary>The body of <c>PUT /v1/contacts/lists/{id}</c>.</summary>
public sealed class WhippyUpdateContactListRequest
{
    /// <summary>The new name.</summary>
    public string? Name { get; set; }

    /// <summary>The new colour.</summary>
    public string? Color { get; set; }

    /// <summary><c>active</c> or <c>archived</c>.</summary>
    public string? State { get; set; }
}

/// <summary>The body of <c>PUT /v1/contacts/lists/{id}/contacts</c>.</summary>
public sealed class WhippyUpdateContactListContactsRequest
{
    /// <summary>See <see cref="WhippyContactListAction"/>: <c>add</c>, <c>remove</c> or <c>overwrite</c>.</summary>
    public string Action { get; set; } = WhippyContactListAction.Add;

    /// <summary>The contacts (1 to 4000). Whippy creates or updates each one first, even for <c>remove</c>.</summary>
    public List<WhippyContactInput> Contacts { get; set; } = [];

    /// <summary>Channels to opt the contacts in to (for <c>add</c> and <c>overwrite</c>; 1 to 1000 when sent).</summary>
    public List<WhippyOptIn>? OptInTo { get; set; }

    /// <summary>Opt the contacts in to every channel of the organization (Whippy's default: true).</summary>
    public bool? OptInToAllChannels { get; set; }
}

/// <summary>The actions of <c>PUT /v1/contacts/lists/{id}/contacts</c>.</summary>
public static class WhippyContactListAction
{
    /// <summary>Add the contacts to the list.</summary>
    public const string Add = "add";

    /// <summary>Remove the contacts from the list.</summary>
    public const string Remove = "remove";

    /// <summary>Remove every contact from the list, then add these.</summary>
    public const string Overwrite = "overwrite";
}

/// <summary>Whippy's error body: <c>{ "errors": [ { "description": "Not authenticated" } ], "status": 401 }</c>.</summary>
internal sealed class WhippyErrorResponse
{
    /// <summary>The errors.</summary>
    public List<WhippyError>? Errors { get; set; }

    /// <summary>The HTTP status, repeated.</summary>
    public int? Status { get; set; }
}

/// <summary>One error.</summary>
internal sealed class WhippyError
{
    /// <summary>What went wrong.</summary>
    public string? Description { get; set; }
}

/// <summary>Source-generated JSON metadata for every Whippy wire type (snake_case names, nulls left out).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(WhippyContactListPage))]
[JsonSerializable(typeof(WhippyContactListResponse))]
[JsonSerializable(typeof(WhippyMessageResponse))]
[JsonSerializable(typeof(WhippyCreateContactListRequest))]
[JsonSerializable(typeof(WhippyUpdateContactListRequest))]
[JsonSerializable(typeof(WhippyUpdateContactListContactsRequest))]
[JsonSerializable(typeof(WhippyErrorResponse))]
internal sealed partial class WhippyJsonContext : JsonSerializerContext;
