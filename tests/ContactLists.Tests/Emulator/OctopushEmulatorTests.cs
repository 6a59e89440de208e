using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactLists.Emulator;

namespace ContactLists.Tests.Emulator;

/// <summary>The Octopush module enforces what Octopush documents, independently of what the SDK sends.</summary>
public sealed class OctopushEmulatorTests
{
    [Fact]
    public async Task Do_not_overwrite_protects_an_existing_contact_even_after_a_new_one_in_the_same_request()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        using var http = new HttpClient { BaseAddress = emulator.Octopush.BaseAddress };
        http.DefaultRequestHeaders.Add("api-login", emulator.Octopush.ApiLogin);
        http.DefaultRequestHeaders.Add("api-key", emulator.Octopush.ApiKey);
        var path = emulator.Octopush.BaseAddress.AbsolutePath.TrimEnd('/') + "/v1/public/contact/create";

        (await http.PostAsJsonAsync(path, new JsonObject
        {
            ["list_name"] = "fr",
            ["contacts"] = new JsonArray(new JsonObject { ["phone_number"] = "+33601020304", ["first_name"] = "Original" }),
        })).IsSuccessStatusCode.Should().BeTrue();

        (await http.PostAsJsonAsync(path, new JsonObject
        {
            ["list_name"] = "fr",
            ["do_not_overwrite"] = true,
            ["contacts"] = new JsonArray(
                new JsonObject { ["phone_number"] = "+33601020305", ["first_name"] = "New" },
                new JsonObject { ["phone_number"] = "+33601020304", ["first_name"] = "Overwritten" }),
        })).IsSuccessStatusCode.Should().BeTrue();

        emulator.Octopush.State.GetContact("+33601020304")!["first_name"].Should().Be("Original");
        emulator.Octopush.State.GetContact("+33601020305")!["first_name"].Should().Be("New");
    }
}
