using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists.Benchmarks;

/// <summary>Paging through N members of a SlickText list (<c>GetContactsAsync</c>) from an in-memory handler that generates the pages.</summary>
[MemoryDiagnoser]
public class PagingBenchmarks
{
    private const int PageSize = 1000;
    private ServiceProvider _services = null!;
    private IContactListClient _sdk = null!;

    [Params(10_000, 100_000, 1_000_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup() => (_services, _sdk) = Clients.SlickText(new CannedHandler(Page), PageSize);

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark]
    public async Task<long> Sdk_GetContacts()
    {
        long count = 0;
        await foreach (var contact in _sdk.GetContactsAsync("3101"))
        {
            count += contact.Phone!.Length > 0 ? 1 : 0;
        }

        return count;
    }

    private byte[] Page(HttpRequestMessage request)
    {
        var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
        var offset = int.Parse(query["offset"] ?? "0", CultureInfo.InvariantCulture);
        var end = Math.Min(N, offset + PageSize);
        var json = new StringBuilder("{\"data\":[");
        for (var i = offset; i < end; i++)
        {
            json.Append(i > offset ? "," : string.Empty)
                .Append("{\"contact_id\":").Append(i + 1).Append(",\"mobile_number\":\"+14152").Append((i % 1_000_000).ToString("D6", CultureInfo.InvariantCulture))
                .Append("\",\"first_name\":\"Bench\",\"last_name\":\"Mark\",\"email\":null,\"opt_in_status\":\"subscribed\"}");
        }

        json.Append("],\"pagingData\":{\"prevPage\":null,\"currentPage\":null,\"nextPage\":null,\"currentPageString\":null,\"hasMore\":").Append(end < N ? "true" : "false").Append("}}");
        return Encoding.UTF8.GetBytes(json.ToString());
    }
}
