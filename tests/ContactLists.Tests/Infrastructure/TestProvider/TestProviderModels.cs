using System.Text.Json.Serialization;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>A list.</summary>
public sealed class TestList
{
    /// <summary><c>id</c> on the wire.</summary>
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    /// <summary><c>name</c> on the wire.</summary>
    public string? Name { get; set; }

    /// <summary><c>description</c> on the wire.</summary>
    public string? Description { get; set; }

    /// <summary><c>archived</c> on the wire.</summary>
    public bool Archived { get; set; }

    /// <summary><c>member_count</c> on the wire.</summary>
    public long? MemberCount { get; set; }

    /// <summary><c>created_at</c> on the wire.</summary>
    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>A page of lists.</summary>
public sealed class TestListPage
{
    /// <summary><c>lists</c> on the wire.</summary>
    public List<TestList> Lists { get; set; } = [];

    /// <summary><c>total</c> on the wire.</summary>
    public long? Total { get; set; }
}

/// <summary>What a create or update sends.</summary>
public sealed class TestListInput
{
    /// <summary><c>name</c> on the wire.</summary>
    public string? Name { get; set; }

    /// <summary><c>description</c> on the wire.</summary>
    public string? Description { get; set; }

    /// <summary><c>archived</c> on the wire.</summary>
    public bool? Archived { get; set; }
}

/// <summary>A member of a list, as read and as sent.</summary>
public sealed class TestMember
{
    /// <summary><c>phone</c> on the wire.</summary>
    public string? Phone { get; set; }

    /// <summary><c>first_name</c> on the wire.</summary>
    public string? FirstName { get; set; }

    /// <summary><c>last_name</c> on the wire.</summary>
    public string? LastName { get; set; }

    /// <summary><c>email</c> on the wire.</summary>
    public string? Email { get; set; }
}

/// <summary>A page of members.</summary>
public sealed class TestMemberPage
{
    /// <summary><c>members</c> on the wire.</summary>
    public List<TestMember> Members { get; set; } = [];

    /// <summary><c>total</c> on the wire.</summary>
    public long? Total { get; set; }
}

/// <summary>A membership change: <c>add</c>, <c>remove</c> or <c>overwrite</c>.</summary>
public sealed class TestMembersChange
{
    /// <summary><c>action</c> on the wire.</summary>
    public string Action { get; set; } = string.Empty;

    /// <summary><c>members</c> on the wire.</summary>
    public List<TestMember> Members { get; set; } = [];
}

/// <summary>The answer to a membership change.</summary>
public sealed class TestQueuedResponse
{
    /// <summary><c>status</c> on the wire.</summary>
    public string? Status { get; set; }
}

/// <summary>The error body: <c>{"error":{"message":"…"}}</c>.</summary>
public sealed class TestErrorResponse
{
    /// <summary><c>error</c> on the wire.</summary>
    public TestError? Error { get; set; }
}

/// <summary>One error.</summary>
public sealed class TestError
{
    /// <summary><c>message</c> on the wire.</summary>
    public string? Message { get; set; }
}

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(TestList))]
[JsonSerializable(typeof(TestListPage))]
[JsonSerializable(typeof(TestListInput))]
[JsonSerializable(typeof(TestMemberPage))]
[JsonSerializable(typeof(TestMembersChange))]
[JsonSerializable(typeof(TestQueuedResponse))]
[JsonSerializable(typeof(TestErrorResponse))]
internal sealed partial class TestProviderJsonContext : JsonSerializerContext;
