using System.Text;

namespace ContactLists.Tests.Reliability;

/// <summary>
/// Issue 18, point 5: a token endpoint (Movio, Messengeo) that answers 50 MB is refused after at most
/// <c>OAuth2Registration.MaxTokenResponseBytes</c> (64 KiB) is read, whether it declares its length or not, and the
/// answer (which would hold a token) is never quoted. Measured alone: the bytes the process allocates are counted.
/// </summary>
[Collection(MeasuredAlone.Name)]
public sealed class TokenAnswerCapTests
{
    private const int HugeBytes = 50 * 1024 * 1024;

    public static TheoryData<string, bool> Cases() => new()
    {
        { "Movio", true },
        { "Movio", false },
        { "Messengeo", true },
        { "Messengeo", false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_50_MB_token_answer_is_refused_after_reading_at_most_the_cap(string provider, bool declaresLength)
    {
        // Built once, before measuring: the server's own copy is not the SDK's allocation.
        var answer = HugeTokenAnswer(declaresLength);
        await using var server = new RawHttpServer(request => request.Target.EndsWith("/token", StringComparison.Ordinal)
            ? answer
            : RawAnswer.Json(200, "{}"));
        var services = new ServiceCollection();
        services.AddContactLists(b =>
        {
            if (provider == "Movio")
            {
                b.AddMovio("account", o =>
                {
                    o.BaseAddress = server.BaseAddress;
                    o.TokenEndpoint = new Uri(server.BaseAddress, "token");
                    o.ClientId = "client";
                    o.ClientSecret = "secret-never-shown";
                });
            }
            else
            {
                b.AddMessengeo("account", o =>
                {
                    o.BaseAddress = server.BaseAddress;
                    o.TokenEndpoint = new Uri(server.BaseAddress, "token");
                    o.ClientId = "client";
                    o.ClientSecret = "secret-never-shown";
                });
            }
        });
        await using var built = services.BuildServiceProvider();
        var client = built.GetRequiredKeyedService<IContactListClient>("account");
        GC.Collect();
        var before = GC.GetTotalAllocatedBytes(precise: true);

        var act = () => client.AddContactsAsync("42", [provider == "Movio" ? new Contact { Email = "ada@example.com" } : new Contact { Id = "700123" }]);

        var error = (await act.Should().ThrowAsync<ContactListException>()).Which;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        var text = error is ContactListBulkException { Result.Batches: [.., { Error: { } batchError }] } ? batchError.ToString() : error.ToString();
        text.Should().Contain("64 KiB", "the error names the cap").And.NotContain("tok-", "the answer, which would hold a token, is not quoted");
        text.Should().NotContain("secret-never-shown");
        allocated.Should().BeLessThan(8 * 1024 * 1024, "at most the cap is read, not the 50 MB (was 418 MB for Movio and 162 MB for Messengeo)");
    }

    /// <summary>A token answer of 50 MB: with its Content-Length, or without one (the body ends when the connection closes).</summary>
    private static RawAnswer HugeTokenAnswer(bool declaresLength)
    {
        var body = new byte[HugeBytes];
        var start = """{"access_token":"tok-"""u8;
        start.CopyTo(body);
        body.AsSpan(start.Length, HugeBytes - start.Length - 2).Fill((byte)'x');
        "\"}"u8.CopyTo(body.AsSpan(HugeBytes - 2));
        var head = Encoding.ASCII.GetBytes(declaresLength
            ? $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {HugeBytes}\r\n\r\n"
            : "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n");
        return new RawAnswer([.. head, .. body], Close: !declaresLength);
    }
}
