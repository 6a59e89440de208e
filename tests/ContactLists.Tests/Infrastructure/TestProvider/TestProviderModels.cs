using System.Text.Json.Serialization;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>A list.</summary>
public sealed class TestList
{
    [JsonRequired]
    public string Id { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Description { get; set; }

    public bool Archived { get; set; }

    public long? MemberCount { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }
}

/// <summary>A page of lists.</summary>
public sealed class TestListPage
{
    public List<TestList> Lists { get; set; } = [];

    public long? Total { get; set; }
}

/// <summary>What a create or update sends.</summary>
public sealed class TestListInput
{
    public string? Name { get; set; }

    public string? Description { get; set; }

    public bool? Archived { get; set; }
}

/// <summary>A member of a list, as read and as sent.</summary>
public sealed class TestMember
{
    public string? Phone { get; set; }

    public string? FirstName { get; set; }

    public string? LastName { get; set; }

    public string? Email { get; set; }
}

/// <summary>A page of members.</summary>
public sealed class TestMemberPage
{
    public List<TestMember> Members { get; set; } = [];

    public long? Total { get; set; }
}

/// <summary>A membership change: <c>add</c>, <c>remove</c> or <c>overwrite</c>.</summary>
public sealed class TestMembersChange
{
    public string Action { get; set; } = string.Empty;

    public List<TestMember> Members { get; set; } = [];
}

/// <summary>The answer to a membership change.</summary>
public sealed class TestQueuedResponse
{
    public string? Status { get; set; }
}

/// <summary>The error body: <c>{"error":{"message":"…"}}</c>.</summary>
public sealed class TestErrorResponse
{
    public TestError? Error { get; set; }
}

/// <summary>One error.</summary>
public sealed class TestError
{
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
