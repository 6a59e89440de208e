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

    [Fact]
    public async Task A_delete_naming_an_unknown_list_deletes_the_numbers_from_the_whole_account()
    {
        // The docs allow this reading: without a list the numbers leave the account, and what is not recognised is ignored.
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        using var http = Http(emulator);
        (await http.PostAsJsonAsync(Path(emulator, "contact/create"), new JsonObject
        {
            ["list_name"] = "customers",
            ["contacts"] = new JsonArray(new JsonObject { ["phone_number"] = "+33601020304" }),
        })).IsSuccessStatusCode.Should().BeTrue();

        using var delete = new HttpRequestMessage(HttpMethod.Delete, Path(emulator, "contact/delete"))
        {
            Content = JsonContent.Create(new JsonObject { ["phone_numbers"] = new JsonArray("+33601020304"), ["list_name"] = "custmers" }),
        };
        (await http.SendAsync(delete)).StatusCode.Should().Be(System.Net.HttpStatusCode.NoContent);

        emulator.Octopush.State.GetContact("+33601020304").Should().BeNull();
        emulator.Octopush.State.GetMemberPhones("customers").Should().BeEmpty();
    }

    [Theory]
    [InlineData(400)]
    [InlineData(409)]
    [InlineData(201)]
    public async Task The_SDK_cannot_delete_account_wide_by_naming_a_list_Octopush_does_not_know(int duplicateListStatus)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, OctopushDuplicateListStatus = duplicateListStatus });
        await using var services = Connect(emulator);
        var client = services.GetRequiredKeyedService<IContactListClient>("sms");
        Contact[] contacts = [new() { Phone = "+33601020304" }, new() { Phone = "+33601020305" }];
        await client.AddContactsAsync("customers", contacts);
        await client.AddContactsAsync("newsletter", contacts);

        await client.RemoveContactsAsync("custmers", contacts);
        await client.RemoveContactsAsync("newsletter", contacts[..1]);
        await client.ReplaceContactsAsync("newsletter", contacts[1..]);

        emulator.Octopush.State.GetMemberPhones("customers").Should().Equal(contacts.Select(c => c.Phone), "a remove naming a mistyped list touches no other list");
        emulator.Octopush.State.GetContact("+33601020304").Should().NotBeNull("and deletes nothing from the account");
        emulator.Octopush.State.GetMemberPhones("newsletter").Should().Equal("+33601020305");
        emulator.Octopush.State.GetMemberPhones("custmers").Should().BeEmpty("the guard created the mistyped list, empty");
    }

    [Fact]
    public async Task Without_the_list_guard_the_same_mistake_deletes_account_wide_which_is_why_it_is_on_by_default()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        await using var services = Connect(emulator, o => o.ListGuard = ContactLists.Providers.Octopush.OctopushListGuard.None);
        var client = services.GetRequiredKeyedService<IContactListClient>("sms");
        await client.AddContactsAsync("customers", [new Contact { Phone = "+33601020304" }]);

        await client.RemoveContactsAsync("custmers", [new Contact { Phone = "+33601020304" }]);

        emulator.Octopush.State.GetContact("+33601020304").Should().BeNull();
    }

    private static ServiceProvider Connect(ContactListsEmulator emulator, Action<ContactLists.Providers.Octopush.OctopushOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddOctopush("sms", o =>
        {
            o.BaseAddress = emulator.Octopush.BaseAddress;
            o.ApiLogin = emulator.Octopush.ApiLogin;
            o.ApiKey = emulator.Octopush.ApiKey;
            configure?.Invoke(o);
        }));
        return services.BuildServiceProvider();
    }

    private static HttpClient Http(ContactListsEmulator emulator)
    {
        var http = new HttpClient { BaseAddress = emulator.Octopush.BaseAddress };
        http.DefaultRequestHeaders.Add("api-login", emulator.Octopush.ApiLogin);
        http.DefaultRequestHeaders.Add("api-key", emulator.Octopush.ApiKey);
        return http;
    }

    private static string Path(ContactListsEmulator emulator, string endpoint) => emulator.Octopush.BaseAddress.AbsolutePath.TrimEnd('/') + "/v1/public/" + endpoint;
}
