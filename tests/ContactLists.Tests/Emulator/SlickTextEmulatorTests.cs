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

    [Fact]
    public async Task A_filter_with_a_plus_encoded_space_is_ignored_as_SlickText_does()
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off });
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new("Bearer", emulator.SlickText.ApiKey);
        var contacts = emulator.SlickText.BaseAddress.ToString().TrimEnd('/') + $"/v1/brands/{emulator.SlickText.State.BrandId}/contacts";
        (await http.PostAsync(contacts, new StringContent("""{"mobile_number":"+14155550101","first_name":"Ada Lovelace"}""", System.Text.Encoding.UTF8, "application/json")))
            .IsSuccessStatusCode.Should().BeTrue();
        (await http.PostAsync(contacts, new StringContent("""{"mobile_number":"+14155550102","first_name":"Grace Hopper"}""", System.Text.Encoding.UTF8, "application/json")))
            .IsSuccessStatusCode.Should().BeTrue();

        var plus = await http.GetStringAsync(contacts + "?first_name=Ada+Lovelace");
        var percent = await http.GetStringAsync(contacts + "?first_name=Ada%20Lovelace");
        var mobile = await http.GetStringAsync(contacts + "?mobile_number=%2B14155550101");

        plus.Should().Contain("Ada Lovelace").And.Contain("Grace Hopper", "SlickText ignores a +-encoded filter and answers unfiltered");
        percent.Should().Contain("Ada Lovelace").And.NotContain("Grace Hopper");
        mobile.Should().Contain("Ada Lovelace").And.NotContain("Grace Hopper");
    }

    [Theory]
    [InlineData(SlickTextRemoveForm.BrandListsContacts, null)]
    [InlineData(SlickTextRemoveForm.PerMembership, "/v1/contacts/{contact_id}/lists/{contact_list_id}")]
    public async Task Each_documented_remove_form_works_end_to_end_when_the_SDK_is_set_to_it(SlickTextRemoveForm form, string? path)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, SlickTextRemoveForm = form });
        await using var services = Connect(emulator, path);
        var client = services.GetRequiredKeyedService<IContactListClient>("texts");
        var list = await client.CreateListAsync(new NewContactList("Removals"));
        Contact[] contacts = [new() { Phone = "+16155550101" }, new() { Phone = "+16155550102" }, new() { Phone = "+16155550103" }];
        await client.AddContactsAsync(list.Id, contacts);

        var result = await client.RemoveContactsAsync(list.Id, contacts[..2]);

        result.Accepted.Should().Be(2);
        emulator.SlickText.State.GetMemberPhones(long.Parse(list.Id, System.Globalization.CultureInfo.InvariantCulture)).Should().Equal("+16155550103");
    }

    [Theory]
    [InlineData(SlickTextRemoveForm.BrandListsContacts, "/v1/contacts/{contact_id}/lists/{contact_list_id}")]
    [InlineData(SlickTextRemoveForm.PerMembership, null)]
    public async Task An_SDK_set_to_the_other_remove_form_fails_loudly_and_counts_nothing_removed(SlickTextRemoveForm form, string? path)
    {
        await using var emulator = await ContactListsEmulator.StartAsync(new EmulatorOptions { RateLimits = EmulatorRateLimits.Off, SlickTextRemoveForm = form });
        await using var services = Connect(emulator, path);
        var client = services.GetRequiredKeyedService<IContactListClient>("texts");
        var list = await client.CreateListAsync(new NewContactList("Mismatch"));
        Contact[] contacts = [new() { Phone = "+16155550101" }];
        await client.AddContactsAsync(list.Id, contacts);

        var outcome = await FluentActions.Awaiting(() => client.RemoveContactsAsync(list.Id, contacts)).Should().ThrowAsync<ContactListBulkException>();

        outcome.Which.Result.Accepted.Should().Be(0);
        emulator.SlickText.State.GetMemberPhones(long.Parse(list.Id, System.Globalization.CultureInfo.InvariantCulture)).Should().Equal("+16155550101");
    }

    private static ServiceProvider Connect(ContactListsEmulator emulator, string? removePath)
    {
        var services = new ServiceCollection();
        services.AddContactLists(b => b.AddSlickText("texts", o =>
        {
            o.BaseAddress = emulator.SlickText.BaseAddress;
            o.ApiKey = emulator.SlickText.ApiKey;
            o.EnablePacing = false;
            if (removePath is not null)
            {
                o.RemoveContactsFromListsPath = removePath;
            }
        }));
        return services.BuildServiceProvider();
    }
}
