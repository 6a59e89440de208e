using System.Text.Json.Serialization;

namespace ContactLists.Providers.Acme;

/// <summary>A list.</summary>
public sealed class AcmeList
{
    /// <summary>The Acme wire value <c>Id</c>.</summary>
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    /// <summary>The Acme wire value <c>Name</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The Acme wire value <c>Description</c>.</summary>
    public string? Description { get; set; }

    /// <summary>The Acme wire value <c>Archived</c>.</summary>
    public bool Archived { get; set; }

    /// <summary>The Acme wire value <c>MemberCount</c>.</summary>
    public long? MemberCount { get; set; }

    /// <summary>The Acme wire value <c>CreatedAt</c>.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>A page of lists.</summary>
public sealed class AcmeListPage
{
    /// <summary>The Acme wire value <c>Lists</c>.</summary>
    public List<AcmeList> Lists { get; set; } = [];

    /// <summary>The Acme wire value <c>Total</c>.</summary>
    public long? Total { get; set; }
}

/// <summary>What a create or update sends.</summary>
public sealed class AcmeListInput
{
    /// <summary>The Acme wire value <c>Name</c>.</summary>
    public string? Name { get; set; }

    /// <summary>The Acme wire value <c>Description</c>.</summary>
    public string? Description { get; set; }

    /// <summary>The Acme wire value <c>Archived</c>.</summary>
    public bool? Archived { get; set; }
}

/// <summary>A member of a list, as read and as sent.</summary>
public sealed class AcmeMember
{
    /// <summary>The Acme wire value <c>Phone</c>.</summary>
    public string? Phone { get; set; }

    /// <summary>The Acme wire value <c>FirstName</c>.</summary>
    public string? FirstName { get; set; }

    /// <summary>The Acme wire value <c>LastName</c>.</summary>
    public string? LastName { get; set; }

    /// <summary>The Acme wire value <c>Email</c>.</summary>
    public string? Email { get; set; }
}

/// <summary>A page of members.</summary>
public sealed class AcmeMemberPage
{
    /// <summary>The Acme wire value <c>Members</c>.</summary>
    public List<AcmeMember> Members { get; set; } = [];

    /// <summary>The Acme wire value <c>Total</c>.</summary>
    public long? Total { get; set; }
}

/// <summary>A membership change: <c>add</c>, <c>remove</c> or <c>overwrite</c>.</summary>
public sealed class AcmeMembersChange
{
    /// <summary>The Acme wire value <c>Action</c>.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary>The Acme wire value <c>Members</c>.</summary>
    public List<AcmeMember> Members { get; set; } = [];
}

/// <summary>The answer to a membership change.</summary>
public sealed class AcmeQueuedResponse
{
    /// <summary>The Acme wire value <c>Status</c>.</summary>
    public string? Status { get; set; }
}

/// <summary>The error body: <c>{"error":{"message":"…"}}</c>.</summary>
public sealed class AcmeErrorResponse
{
    /// <summary>The Acme wire value <c>Error</c>.</summary>
    public AcmeError? Error { get; set; }
}

/// <summary>One error.</summary>
public sealed class AcmeError
{
    /// <summary>The Acme wire value <c>Message</c>.</summary>
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(AcmeList))]
[JsonSerializable(typeof(AcmeListPage))]
[JsonSerializable(typeof(AcmeListInput))]
[JsonSerializable(typeof(AcmeMemberPage))]
[JsonSerializable(typeof(AcmeMembersChange))]
[JsonSerializable(typeof(AcmeQueuedResponse))]
[JsonSerializable(typeof(AcmeErrorResponse))]
internal sealed partial class AcmeJsonContext : JsonSerializerContext;
