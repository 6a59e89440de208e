using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactLists.Providers.SlickText;

// Wire types of SlickText's brand-scoped API (dev.slicktext.com/v1), named as SlickText documents them.
// Single resources come bare; collections as { data, pagingData }; a count as a bare number.

/// <summary>The brand a key belongs to (<c>GET /v1/brands</c> answers one object).</summary>
public sealed class SlickTextBrand
{
    /// <summary>The brand's id, used in every path.</summary>
    [JsonPropertyName("brand_id")]
    public long BrandId { get; set; }

    /// <summary>The account's id.</summary>
    [JsonPropertyName("_account_id")]
    public long? AccountId { get; set; }

    /// <summary>The brand's name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The many other brand fields.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>A contact list.</summary>
public sealed class SlickTextList
{
    /// <summary>The list's id.</summary>
    [JsonPropertyName("contact_list_id")]
    [JsonRequired]
    public long ContactListId { get; set; }

    /// <summary>The brand's id.</summary>
    [JsonPropertyName("_brand_id")]
    public long? BrandId { get; set; }

    /// <summary>The name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }

    /// <summary>When it was created: <c>YYYY-MM-DD HH:MM:SS</c>, in a time zone SlickText does not state.</summary>
    [JsonPropertyName("created")]
    public string? Created { get; set; }
}

/// <summary>A contact (tolerant: several fields arrive in more than one shape).</summary>
public sealed class SlickTextContact
{
    /// <summary>The contact's id.</summary>
    [JsonPropertyName("contact_id")]
    [JsonRequired]
    public long ContactId { get; set; }

    /// <summary>The mobile number, E.164.</summary>
    [JsonPropertyName("mobile_number")]
    public string? MobileNumber { get; set; }

    /// <summary>First name.</summary>
    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("last_name")]
    public string? LastName { get; set; }

    /// <summary>E-mail address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary><c>not subscribed</c>, <c>subscribed</c>, <c>unsubscribed</c> or <c>blocked</c> (others are kept as they come).</summary>
    [JsonPropertyName("opt_in_status")]
    public string? OptInStatus { get; set; }

    /// <summary>Custom fields by <c>internal_name</c>; values string, number or boolean.</summary>
    [JsonPropertyName("custom_fields")]
    public Dictionary<string, JsonElement>? CustomFields { get; set; }

    /// <summary>Postcode: a string or a number on the wire; always text here.</summary>
    [JsonPropertyName("zip")]
    [JsonConverter(typeof(Http.StringOrNumberConverter))]
    public string? Zip { get; set; }

    /// <summary>Every other field (birthdate, address, timezone, sources, dates…).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ExtensionData { get; set; }
}

/// <summary>
/// A new contact (<c>POST /v1/brands/{brand_id}/contacts</c>): the fields of <see cref="SlickTextUpdateContactRequest"/>,
/// with <c>mobile_number</c> required, and the opt-in status a create may set.
/// </summary>
public sealed class SlickTextCreateContactRequest : SlickTextUpdateContactRequest
{
    /// <summary>Opt-in status; SlickText's default is <c>not subscribed</c>.</summary>
    [JsonPropertyName("opt_in_status")]
    public string? OptInStatus { get; set; }
}

/// <summary>
/// The fields an update changes (<c>PUT /v1/brands/{brand_id}/contacts/{contact_id}</c>: only the fields sent are
/// changed). It has no <c>opt_in_status</c> and no <c>force_double_opt_in</c>, so that an update cannot change consent.
/// </summary>
public class SlickTextUpdateContactRequest
{
    /// <summary>The mobile number (E.164); required to create a contact.</summary>
    [JsonPropertyName("mobile_number")]
    public string? MobileNumber { get; set; }

    /// <summary>First name.</summary>
    [JsonPropertyName("first_name")]
    public string? FirstName { get; set; }

    /// <summary>Last name.</summary>
    [JsonPropertyName("last_name")]
    public string? LastName { get; set; }

    /// <summary>E-mail address.</summary>
    [JsonPropertyName("email")]
    public string? Email { get; set; }

    /// <summary>Birth date, <c>YYYY-MM-DD</c>.</summary>
    [JsonPropertyName("birthdate")]
    public string? Birthdate { get; set; }

    /// <summary>Street address.</summary>
    [JsonPropertyName("address")]
    public string? Address { get; set; }

    /// <summary>City.</summary>
    [JsonPropertyName("city")]
    public string? City { get; set; }

    /// <summary>State.</summary>
    [JsonPropertyName("state")]
    public string? State { get; set; }

    /// <summary>Postcode.</summary>
    [JsonPropertyName("zip")]
    public string? Zip { get; set; }

    /// <summary>Country, such as <c>US</c>.</summary>
    [JsonPropertyName("country")]
    public string? Country { get; set; }

    /// <summary>Time zone (SlickText accepts four US zones).</summary>
    [JsonPropertyName("timezone")]
    public string? Timezone { get; set; }

    /// <summary>Language, such as <c>en</c>.</summary>
    [JsonPropertyName("language")]
    public string? Language { get; set; }

    /// <summary>Custom fields by <c>internal_name</c>.</summary>
    [JsonPropertyName("custom_fields")]
    public Dictionary<string, string>? CustomFields { get; set; }
}

/// <summary>A custom field of the brand's contacts (<c>GET /v1/brands/{brand_id}/custom-fields</c>).</summary>
public sealed class SlickTextCustomField
{
    /// <summary>The name shown in SlickText.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The key of the field in a contact's <c>custom_fields</c>.</summary>
    [JsonPropertyName("internal_name")]
    [JsonRequired]
    public string InternalName { get; set; } = string.Empty;

    /// <summary>Its type, as SlickText names it.</summary>
    [JsonPropertyName("data_type")]
    public string? DataType { get; set; }

    /// <summary>Its description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

/// <summary>A page of custom fields.</summary>
public sealed class SlickTextCustomFieldPage
{
    /// <summary>The custom fields.</summary>
    [JsonPropertyName("data")]
    [JsonRequired]
    public List<SlickTextCustomField> Data { get; set; } = [];

    /// <summary>Paging.</summary>
    [JsonPropertyName("pagingData")]
    public SlickTextPagingData? PagingData { get; set; }
}

/// <summary>The body of list create and edit calls.</summary>
public sealed class SlickTextListRequest
{
    /// <summary>The name (required on create).</summary>
    [JsonPropertyName("name")]
    public string? Name { get; set; }

    /// <summary>The description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; set; }
}

/// <summary>One item of the add/remove-contacts-to-lists body: a contact and the lists it joins or leaves.</summary>
public sealed class SlickTextListMembership
{
    /// <summary>The contact's id.</summary>
    [JsonPropertyName("contact_id")]
    public long ContactId { get; set; }

    /// <summary>The lists' ids.</summary>
    [JsonPropertyName("lists")]
    public long[] Lists { get; set; } = [];
}

/// <summary><c>{ "count": n }</c>: memberships added or removed.</summary>
public sealed class SlickTextCount
{
    /// <summary>The count.</summary>
    [JsonPropertyName("count")]
    [JsonRequired]
    public long Count { get; set; }
}

/// <summary>The paging block of a collection.</summary>
public sealed class SlickTextPagingData
{
    /// <summary>Whether more items follow (the only field SlickText fills in its documented answers).</summary>
    [JsonPropertyName("hasMore")]
    public bool HasMore { get; set; }

    /// <summary>Documented but null in every example.</summary>
    [JsonPropertyName("nextPage")]
    public JsonElement? NextPage { get; set; }
}

/// <summary>A page of lists.</summary>
public sealed class SlickTextListPage
{
    /// <summary>The lists.</summary>
    [JsonPropertyName("data")]
    [JsonRequired]
    public List<SlickTextList> Data { get; set; } = [];

    /// <summary>Paging.</summary>
    [JsonPropertyName("pagingData")]
    public SlickTextPagingData? PagingData { get; set; }
}

/// <summary>A page of contacts.</summary>
public sealed class SlickTextContactPage
{
    /// <summary>The contacts.</summary>
    [JsonPropertyName("data")]
    [JsonRequired]
    public List<SlickTextContact> Data { get; set; } = [];

    /// <summary>Paging.</summary>
    [JsonPropertyName("pagingData")]
    public SlickTextPagingData? PagingData { get; set; }
}

/// <summary>Source-generated JSON metadata for SlickText's wire types.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(SlickTextBrand))]
[JsonSerializable(typeof(SlickTextList))]
[JsonSerializable(typeof(SlickTextListPage))]
[JsonSerializable(typeof(SlickTextContact))]
[JsonSerializable(typeof(SlickTextContactPage))]
[JsonSerializable(typeof(SlickTextCustomFieldPage))]
[JsonSerializable(typeof(SlickTextCreateContactRequest))]
[JsonSerializable(typeof(SlickTextUpdateContactRequest))]
[JsonSerializable(typeof(SlickTextListRequest))]
[JsonSerializable(typeof(SlickTextListMembership[]))]
[JsonSerializable(typeof(SlickTextCount))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class SlickTextJsonContext : JsonSerializerContext;
