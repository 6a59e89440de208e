using ContactLists.Identity;
using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Http;
using ContactLists.Adapters;

namespace ContactLists.Tests.Infrastructure.TestProvider;

/// <summary>
/// The neutral client over the test provider: phone identifies a contact, membership changes are queued (accepted
/// for processing), a replace overwrites with the first batch and adds the rest, first and last names are at most
/// <see cref="MaxNameLength"/> characters each.
/// </summary>
internal sealed class TestProviderClient(ClientWiring wiring, ITestProviderApi api, TestProviderOptions options)
    : ContactListClientBase(TestProvider.Name, options, wiring)
{
    public const int MaxNameLength = 100;

    public override ContactListCapabilities Capabilities =>
        ContactListCapabilities.ListLists | ContactListCapabilities.GetList | ContactListCapabilities.CreateList |
        ContactListCapabilities.UpdateList | ContactListCapabilities.DeleteList | ContactListCapabilities.CountContacts |
        ContactListCapabilities.GetContacts | ContactListCapabilities.AddContacts | ContactListCapabilities.RemoveContacts |
        ContactListCapabilities.ReplaceContacts | ContactListCapabilities.UpdateContacts;

    public override ContactIdentity Identity => ContactIdentity.Phone;

    protected override int MaxBatchSize => TestProviderOptions.MaxMembersPerRequest;

    protected override int DefaultBatchSize => options.BatchSize;

    protected override ReplaceStrategy ReplaceStrategy => ReplaceStrategy.OverwriteFirstBatch;

    protected override string? AppliesLater => "The test provider queues membership changes and applies them later.";

    internal override async Task<bool> ProbeAsync(CancellationToken cancellationToken)
    {
        await api.GetListsAsync(0, 1, cancellationToken).ConfigureAwait(false);
        return true;
    }

    protected override IAsyncEnumerable<ContactList> GetListsCoreAsync(CancellationToken cancellationToken)
        => ReadAllAsync(
            async (offset, ct) =>
            {
                var page = await api.GetListsAsync(offset, options.PageSize, ct).ConfigureAwait(false);
                return (page.Lists, page.Total);
            },
            ToContactList,
            cancellationToken);

    protected override async Task<ContactList> GetListCoreAsync(string listId, CancellationToken cancellationToken)
        => ToContactList(await api.GetListAsync(listId, cancellationToken).ConfigureAwait(false));

    protected override async Task<ContactList> CreateListCoreAsync(NewContactList list, CancellationToken cancellationToken)
        => ToContactList(await api.CreateListAsync(new TestListInput { Name = list.Name, Description = list.Description }, cancellationToken).ConfigureAwait(false));

    protected override async Task<ContactList> UpdateListCoreAsync(string listId, ContactListUpdate update, CancellationToken cancellationToken)
        => ToContactList(await api.UpdateListAsync(listId, new TestListInput { Name = update.Name, Description = update.Description, Archived = update.Archived }, cancellationToken).ConfigureAwait(false));

    protected override async Task<ContactListDeletion> DeleteListCoreAsync(string listId, CancellationToken cancellationToken)
    {
        await api.DeleteListAsync(listId, cancellationToken).ConfigureAwait(false);
        return new ContactListDeletion(listId, IsSoftDelete: false, List: null);
    }

    protected override async Task<long> CountContactsCoreAsync(string listId, CancellationToken cancellationToken)
        => (await api.GetListAsync(listId, cancellationToken).ConfigureAwait(false)).MemberCount
            ?? throw new ContactListException($"The test provider returned list '{listId}' without member_count.", ProviderError.NoResponse(ProviderName));

    protected override IAsyncEnumerable<Contact> GetContactsCoreAsync(string listId, CancellationToken cancellationToken)
        => ReadAllAsync(
            async (offset, ct) =>
            {
                var page = await api.GetMembersAsync(listId, offset, options.PageSize, ct).ConfigureAwait(false);
                return (page.Members, page.Total);
            },
            m => new Contact { Phone = m.Phone, FirstName = m.FirstName, LastName = m.LastName, Email = m.Email },
            cancellationToken);

    protected override ContactFieldModel FieldModel { get; } = new()
    {
        Provider = TestProvider.Name,
        Fields =
        [
            new(nameof(Contact.Phone), "phone", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.Email), "email", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.FirstName), "first_name", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.LastName), "last_name", ContactFieldKind.Standard, Stored: true, ReadBack: true),
            new(nameof(Contact.ExternalId), null, ContactFieldKind.Standard, Stored: false, ReadBack: false),
            new("tier", "tier", ContactFieldKind.Custom, Stored: true, ReadBack: false),
        ],
    };

    protected override ContactCheck CheckContact(Contact contact, ContactLists.Identity.ContactRules rules)
    {
        var check = base.CheckContact(contact, rules);
        if (!check.IsValid)
        {
            return check;
        }

        contact = check.Normalized!;
        if (contact.FirstName is { Length: > MaxNameLength })
        {
            return ContactCheck.Invalid(nameof(Contact.FirstName), $"is longer than the test provider's {MaxNameLength} characters");
        }

        if (contact.Email is not null)
        {
            if (!ContactLists.Identity.ContactFieldRules.TryNormalizeEmail(contact.Email, out var email, out var reason))
            {
                return ContactCheck.Invalid(nameof(Contact.Email), reason);
            }

            contact = contact with { Email = email };
        }

        return ContactCheck.Valid(contact);
    }

    protected override async Task<BatchResponse> SendBatchAsync(BatchAction batchAction, string listId, BulkBatch batch, CancellationToken cancellationToken)
    {
        var action = batchAction switch
        {
            // A member sent again takes the fields sent: an update is an add of members.
            BatchAction.Add or BatchAction.Update => "add",
            BatchAction.Remove => "remove",
            _ => "overwrite",
        };
        var change = new TestMembersChange
        {
            Action = action,
            Members = batch.Contacts.Select(c => new TestMember { Phone = c.Phone, FirstName = c.FirstName, LastName = c.LastName, Email = c.Email }).ToList(),
        };
        using var response = await api.ChangeMembersAsync(listId, change, cancellationToken).ConfigureAwait(false);
        if (UnexpectedAnswers.RequireContent(Profile, response, "no body").Status != "queued")
        {
            throw UnexpectedAnswers.ShapeOf(Profile, response, "no \"status\": \"queued\"");
        }

        return new BatchResponse(BatchStatus.AcceptedForProcessing, action, ProviderMessage: "queued");
    }

    private static ProviderHttpProfile Profile => TestProvider.Profile;

    /// <summary>Reads offset pages until <c>total</c> is reached or a page is empty, mapping each item as it comes.</summary>
    private static async IAsyncEnumerable<TResult> ReadAllAsync<T, TResult>(Func<int, CancellationToken, Task<(List<T> Items, long? Total)>> readPage, Func<T, TResult> map, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var offset = 0;
        while (true)
        {
            var (items, total) = await readPage(offset, cancellationToken).ConfigureAwait(false);
            foreach (var item in items)
            {
                yield return map(item);
            }

            offset += items.Count;
            if (items.Count == 0 || offset >= (total ?? long.MaxValue))
            {
                yield break;
            }
        }
    }

    private static ContactList ToContactList(TestList list) => new()
    {
        Id = list.Id,
        Name = list.Name,
        Description = list.Description,
        CreatedAt = list.CreatedAt,
        ContactCount = list.MemberCount,
        Status = list.Archived ? ContactListStatus.Archived : ContactListStatus.Active,
    };
}
