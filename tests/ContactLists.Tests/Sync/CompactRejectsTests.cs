namespace ContactLists.Tests.Sync;

/// <summary>The plan keeps the rows it leaves out as compact records: each reads back as it was given, in order.</summary>
public sealed class CompactRejectsTests
{
    [Fact]
    public void Every_row_left_out_reads_back_as_it_was_given()
    {
        var given = new[]
        {
            new RejectedContact(3, new Contact { Phone = "n/a 123", Email = "ann@example.com", FirstName = "Ann", Attributes = new Dictionary<string, string> { ["Tier"] = "Gold", ["City"] = "London, UK" } }, "Phone", "Phone is not a phone number", ByProvider: false),
            new RejectedContact(7, new Contact { Email = "bob at example.com" }, null, "Phone/Email is required to sync into Whippy", ByProvider: false),
            new RejectedContact(1_000_000_000_000, new Contact { Id = "42", ExternalId = "c-9", LastName = "Ünïcode ☎" }, "Id", "is not a contact id", ByProvider: true),
        };
        var rejects = new CompactRejects();
        foreach (var rejected in given)
        {
            rejects.Add(rejected);
        }

        rejects.Should().HaveCount(3);
        rejects.Should().BeEquivalentTo(given, o => o.WithStrictOrdering().ComparingByMembers<Contact>());
        rejects[1].Should().BeEquivalentTo(given[1], o => o.ComparingByMembers<Contact>(), "a row can be read by its position, again and again");
        rejects[0].Category.Should().Be("Phone not valid");
        FluentActions.Invoking(() => rejects[3]).Should().Throw<ArgumentOutOfRangeException>();
    }
}
