using System.Globalization;
using ContactLists.Http;
using ContactLists.Identity;
using ContactLists.Resolution;
using static ContactLists.Providers.SlickText.SlickTextContacts;

namespace ContactLists.Providers.SlickText;

/// <summary>
/// SlickText's contacts as the <see cref="ContactDirectory"/> reads, finds and creates them: one lookup per contact
/// (by mobile number, else e-mail: SlickText filters on one exact value), one create per contact (no bulk create is
/// documented, and a mobile number is required), no bulk check of ids.
/// </summary>
internal sealed class SlickTextContactSource(ISlickTextApi api, SlickTextOptions options, SlickTextBrandCache brand) : IContactSource
{
    // The reads, lookups and creates the directory plans a call's resolution with.
    async Task<Page<Contact>> IContactSource.ReadAccountAsync(int offset, CancellationToken cancellationToken)
        => ScanPage(await api.FindContactsAsync(await brand.GetAsync(options.BrandId, api, cancellationToken).ConfigureAwait(false), limit: options.ScanPageSize, offset: offset, cancellationToken: cancellationToken).ConfigureAwait(false));

    async Task<Page<Contact>> IContactSource.ReadListAsync(string listId, int offset, CancellationToken cancellationToken)
        => ScanPage(await api.GetListContactsAsync(await brand.GetAsync(options.BrandId, api, cancellationToken).ConfigureAwait(false), ParseId(listId, nameof(listId)), options.ScanPageSize, offset, cancellationToken).ConfigureAwait(false));

    /// <summary>A page of a scan: <c>hasMore</c> says whether more follow; without it, a full page does.</summary>
    private Page<Contact> ScanPage(SlickTextContactPage page)
        => new([.. page.Data.Select(ToContact)], page.PagingData?.HasMore ?? page.Data.Count == options.ScanPageSize, null);

    // SlickText filters on one exact value: one lookup per contact, by its mobile number, else its e-mail.
    long IContactSource.FindCost(long contacts) => contacts;

    async Task<ContactLookup> IContactSource.FindAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var brandId = await brand.GetAsync(options.BrandId, api, cancellationToken).ConfigureAwait(false);
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        await Retries.OneByOneRequests.ForEachAsync(contacts, options.ResolveConcurrency, async (contact, ct) =>
        {
            var key = IdentityKeys.Of(ContactIdentity.ProviderId, contact)!;
            var page = contact.Phone is not null
                ? await api.FindContactsAsync(brandId, mobileNumber: contact.Phone, limit: 1, cancellationToken: ct).ConfigureAwait(false)
                : await api.FindContactsAsync(brandId, email: contact.Email, limit: 1, cancellationToken: ct).ConfigureAwait(false);
            if (page.Data.Count > 0)
            {
                found[key] = page.Data[0].ContactId.ToString(CultureInfo.InvariantCulture);
            }
        }, (contact, error) => failed[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = error, cancellationToken).ConfigureAwait(false);
        return new ContactLookup(found, failed);
    }

    // SlickText documents no bulk create: one create per contact, a mobile number required.
    async Task<ContactCreation> IContactSource.CreateAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var brandId = await brand.GetAsync(options.BrandId, api, cancellationToken).ConfigureAwait(false);
        var ids = new string?[contacts.Count];
        var rejected = new System.Collections.Concurrent.ConcurrentBag<(int, string)>();
        var failed = new System.Collections.Concurrent.ConcurrentBag<(int, Exception)>();
        await Retries.OneByOneRequests.ForEachAsync(Enumerable.Range(0, contacts.Count), options.ResolveConcurrency, async (position, ct) =>
        {
            var contact = contacts[position];
            if (contact.Phone is null)
            {
                rejected.Add((position, $"No SlickText contact has e-mail {contact.Email}, and SlickText cannot create a contact without a mobile number."));
                return;
            }

            ids[position] = (await CreateContactAsync(brandId, contact, ct).ConfigureAwait(false)).ToString(CultureInfo.InvariantCulture);
        }, (position, error) => failed.Add((position, error)), cancellationToken).ConfigureAwait(false);
        return new ContactCreation(ids, [.. rejected], [.. failed]);
    }

    Task<IReadOnlySet<string>>? IContactSource.VerifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken) => null;

    private async Task<long> CreateContactAsync(long brandId, Contact contact, CancellationToken cancellationToken)
    {
        var created = await api.CreateContactAsync(brandId, SlickTextContacts.Fields(contact, new SlickTextCreateContactRequest { OptInStatus = options.NewContactOptInStatus }), cancellationToken).ConfigureAwait(false);
        return created.ContactId > 0
            ? created.ContactId
            : throw Http.UnexpectedAnswers.Shape(SlickTextProvider.Name, "create contact", $"contact_id is {created.ContactId}, not a contact's id", isWrite: true);
    }
}
