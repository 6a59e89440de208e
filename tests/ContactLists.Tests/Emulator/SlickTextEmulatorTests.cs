using ContactLists.Emulator;

namespace ContactLists.Tests.Emulator;

/// <summary>The SlickText module enforces and answers what SlickText documents.</summary>
public sealed class SlickTextEmulatorTests
{
    [Fact]
    public async Task Successful_answers_carry_all_three_rate_limit_headers_with_the_budget_left()
    {
        await using var emulator = await ContactListsEmulator.StartAsync();
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.SlickText.ApiKey);
        var url = new Uri(emulator.SlickText.BaseAddress.ToString().TrimEnd('/') + $"/v1/brands/{emulator.SlickText.State.BrandId}/lists");

        using var first = await http.GetAsync(url);
        using var second = await http.GetAsync(url);

        first.IsSuccessStatusCode.Should().BeTrue();
        foreach (var (answer, left) in new[] { (first, "239"), (second, "238") })
        {
            answer.Headers.GetValues("x-RateLimit").Should().Equal("240");
            answer.Headers.GetValues("x-RateLimit-Remaining").Should().Equal(left);
            answer.Headers.GetValues("x-RateLimit-Reset").Should().ContainSingle();
        }
    }
}
