using System.Globalization;
using ContactLists.Http;
using ContactLists.Identity;
using ContactLists.Resolution;
using static ContactLists.Providers.Messengeo.MessengeoContacts;

namespace ContactLists.Providers.Messengeo;

/// <summary>
/// Messengeo's contacts as the <see cref="ContactDirectory"/> reads, finds, creates and checks them: lookups by mobile
/// number or e-mail, many per request where the filters take several values (a canary contact proves it), creates a
/// batch per request, and a bulk check of known ids.
/// </summary>
internal sealed class MessengeoContactSource(IMessengeoApi api, MessengeoOptions options) : IContactSource
{
    // Whether the mobile and email filters read a comma as several values: unknown until a lookup with a canary shows it.
    private bool? _multiValueFilters;
    private Contact? _canary;

    // The reads, lookups, creates and checks the directory plans a call's resolution with.
    async Task<Page<Contact>> IContactSource.ReadAccountAsync(int offset, CancellationToken cancellationToken)
    {
        var page = await api.ReadContactsAsync([], MemberProperties, options.PageSize, offset, "true", cancellationToken).ConfigureAwait(false);
        return Page(page);
    }

    async Task<Page<Contact>> IContactSource.ReadListAsync(string listId, int offset, CancellationToken cancellationToken)
    {
        var page = await api.ReadContactsAsync(new Dictionary<string, string> { [options.MembersFilter] = listId }, MemberProperties, options.PageSize, offset, "true", cancellationToken).ConfigureAwait(false);
        return Page(page);
    }

    private Page<Contact> Page(MessengeoContactEnvelope page)
    {
        var contacts = page.List.Select(ToContact).ToList();
        Remember(contacts);
        return PageOf(contacts, page.Total);
    }

    long IContactSource.FindCost(long contacts) => UsesMultiValueFilters ? (contacts + options.LookupValuesPerRequest - 1) / options.LookupValuesPerRequest : contacts;

    private bool UsesMultiValueFilters => options.ContactLookup switch
    {
        MessengeoContactLookup.OnePerRequest => false,
        MessengeoContactLookup.ManyPerRequest => true,
        _ => _multiValueFilters ?? true,
    };

    async Task<ContactLookup> IContactSource.FindAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var found = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var failed = new System.Collections.Concurrent.ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
        // One lookup per contact at most: by its mobile number (when lookups by mobile are on), else its e-mail.
        var byMobile = contacts.Where(c => c.Phone is not null && options.FindContactsByMobile).ToList();
        var byEmail = contacts.Where(c => (c.Phone is null || !options.FindContactsByMobile) && c.Email is not null).ToList();
        if (UsesMultiValueFilters)
        {
            var single = new List<Contact>();
            foreach (var (filter, group) in new[] { ("mobile", byMobile), ("email", byEmail) })
            {
                foreach (var chunk in group.Chunk(options.LookupValuesPerRequest))
                {
                    if (!await FindManyAsync(filter, chunk, found, failed, cancellationToken).ConfigureAwait(false))
                    {
                        // The filter took the comma as part of one value: each contact is looked up on its own instead.
                        single.AddRange(chunk);
                    }
                }
            }

            byMobile = [.. single.Where(c => c.Phone is not null && options.FindContactsByMobile)];
            byEmail = [.. single.Where(c => (c.Phone is null || !options.FindContactsByMobile) && c.Email is not null)];
        }

        await Retries.OneByOneRequests.ForEachAsync(byMobile.Select(c => ("mobile", c)).Concat(byEmail.Select(c => ("email", c))), options.ResolveConcurrency, async (item, ct) =>
        {
            var (filter, contact) = item;
            var page = await api.ReadContactsAsync(new Dictionary<string, string> { [filter] = filter == "mobile" ? contact.Phone! : contact.Email! }, MemberProperties, 1, cancellationToken: ct).ConfigureAwait(false);
            if (page.List.FirstOrDefault() is { Id: { } id } match)
            {
                found[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = id;
                Remember([ToContact(match)]);
            }
        }, (item, error) => failed[IdentityKeys.Of(ContactIdentity.ProviderId, item.Item2)!] = error, cancellationToken).ConfigureAwait(false);
        return new ContactLookup(found, failed);
    }

    /// <summary>
    /// Looks up many contacts in one request (<c>mobile=a,b,c</c>), with, unless the comma form is known to work, a
    /// contact known to exist among the values: if it does not come back, Messengeo read the comma as part of one value,
    /// so an empty answer proves nothing and the contacts are looked up one by one (returns <see langword="false"/>).
    /// </summary>
    private async Task<bool> FindManyAsync(string filter, Contact[] chunk, System.Collections.Concurrent.ConcurrentDictionary<string, string> found, System.Collections.Concurrent.ConcurrentDictionary<string, Exception> failed, CancellationToken cancellationToken)
    {
        string Value(Contact c) => filter == "mobile" ? c.Phone! : c.Email!;
        var values = chunk.Select(Value).ToList();
        var canary = options.ContactLookup == MessengeoContactLookup.Auto && _multiValueFilters != true ? await CanaryAsync(filter, cancellationToken).ConfigureAwait(false) : null;
        if (canary is not null && !values.Contains(Value(canary), StringComparer.Ordinal))
        {
            values.Add(Value(canary));
        }

        List<MessengeoContact> answer;
        try
        {
            answer = await ReadAllAsync(new Dictionary<string, string> { [filter] = string.Join(',', values) }, MemberProperties, values.Count, cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListException ex) when (Retries.Failures.IsContactsOwn(ex))
        {
            foreach (var contact in chunk)
            {
                failed[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = ex;
            }

            return true;
        }

        var matches = answer.Select(ToContact).ToList();
        if (canary is not null)
        {
            var works = matches.Any(m => m.Id == canary.Id);
            _multiValueFilters = works;
            if (!works)
            {
                return false;
            }
        }

        Remember(matches);
        foreach (var contact in chunk)
        {
            var value = Value(contact);
            var match = matches.FirstOrDefault(m => string.Equals(filter == "mobile" ? m.Phone : m.Email, value, filter == "mobile" ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase));
            if (match?.Id is { } id)
            {
                found[IdentityKeys.Of(ContactIdentity.ProviderId, contact)!] = id;
            }
        }

        return true;
    }

    /// <summary>A contact known to exist with a mobile number (or an e-mail, for <paramref name="filter"/> <c>email</c>): one seen in an answer, else the first the account gives. <see langword="null"/> when the account has none, where any answer is right.</summary>
    private async Task<Contact?> CanaryAsync(string filter, CancellationToken cancellationToken)
    {
        if (_canary is { } known && (filter == "mobile" ? known.Phone : known.Email) is not null)
        {
            return known;
        }

        var page = await api.ReadContactsAsync([], MemberProperties, 20, 0, cancellationToken: cancellationToken).ConfigureAwait(false);
        Remember(page.List.Select(ToContact));
        return _canary is { } seen && (filter == "mobile" ? seen.Phone : seen.Email) is not null ? seen : null;
    }

    /// <summary>Keeps a contact with both a mobile number and an e-mail, when one comes by, as the canary of multi-value lookups.</summary>
    private void Remember(IEnumerable<Contact> contacts)
    {
        if (_canary is { Phone: not null, Email: not null })
        {
            return;
        }

        foreach (var contact in contacts)
        {
            if (contact.Id is not null && (contact.Phone is not null || contact.Email is not null) && (_canary is null || (contact.Phone is not null && contact.Email is not null)))
            {
                _canary = contact;
            }
        }
    }

    async Task<ContactCreation> IContactSource.CreateAsync(IReadOnlyList<Contact> contacts, CancellationToken cancellationToken)
    {
        var ids = new string?[contacts.Count];
        var rejected = new List<(int Position, string Reason)>();
        var unresolved = new List<(int Position, Exception Error)>();
        foreach (var chunk in Enumerable.Range(0, contacts.Count).Chunk(options.BatchSize))
        {
            try
            {
                await CreateAsync(contacts, [.. chunk], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            }
            catch (ContactListException ex) when (Retries.Failures.IsContactsOwn(ex))
            {
                // This create failed (it may have arrived: its contacts are looked up before any is created again); the others go on.
                unresolved.AddRange(chunk.Select(p => (p, (Exception)ex)));
            }
        }

        return new ContactCreation(ids, rejected, unresolved);
    }

    async Task<IReadOnlySet<string>>? IContactSource.VerifyAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        // The id filter is documented to take several values: which of these ids Messengeo still knows.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(options.LookupValuesPerRequest))
        {
            var found = await ReadAllAsync(new Dictionary<string, string> { ["id"] = string.Join(',', chunk) }, "id", chunk.Length, cancellationToken).ConfigureAwait(false);
            existing.UnionWith(found.Select(c => c.Id).OfType<string>());
        }

        return existing;
    }

    /// <summary>
    /// Every contact a filter selects: Messengeo documents no largest <c>limit</c>, so a server may answer fewer than
    /// asked; the total is asked for and the rest read, so that a contact cut off a short page is never taken for absent.
    /// </summary>
    private async Task<List<MessengeoContact>> ReadAllAsync(Dictionary<string, string> filters, string properties, int limit, CancellationToken cancellationToken)
    {
        var all = new List<MessengeoContact>();
        var contacts = new Pages<MessengeoContact>(MessengeoProvider.Name, "the contacts of a lookup", async (offset, ct) =>
        {
            var page = await api.ReadContactsAsync(filters, properties, limit, offset == 0 ? null : offset, "true", ct).ConfigureAwait(false);
            return PageOf(page.List, page.Total);
        }, contact => contact.Id);
        await foreach (var contact in contacts.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            all.Add(contact);
        }

        return all;
    }

    /// <summary>
    /// Creates the contacts at <paramref name="positions"/> in one call (bracket notation) and records their ids.
    /// Messengeo refuses a whole call for one invalid contact (417): the call is split in halves until that contact
    /// is alone, so it is reported as rejected with Messengeo's reason and the others are still created.
    /// </summary>
    private async Task CreateAsync(IReadOnlyList<Contact> contacts, List<int> positions, string?[] ids, List<(int Position, string Reason)> rejected, List<(int Position, Exception Error)> unresolved, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>();
        for (var n = 0; n < positions.Count; n++)
        {
            foreach (var (name, value) in Properties(contacts[positions[n]]))
            {
                form[$"contacts[{n}][{name}]"] = value;
            }
        }

        MessengeoContactEnvelope created;
        try
        {
            created = await api.CreateContactsAsync(form, cancellationToken).ConfigureAwait(false);
        }
        catch (ContactListRequestRejectedException ex) when (ex.StatusCode == System.Net.HttpStatusCode.ExpectationFailed)
        {
            if (positions.Count == 1)
            {
                rejected.Add((positions[0], "Messengeo refused the contact (417): " + (ex.ErrorMessages.Count > 0 ? string.Join("; ", ex.ErrorMessages) : ex.Message)));
                return;
            }

            var half = positions.Count / 2;
            await CreateAsync(contacts, positions[..half], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            await CreateAsync(contacts, positions[half..], ids, rejected, unresolved, cancellationToken).ConfigureAwait(false);
            return;
        }

        // No doc promises the answer lists the contacts in the order sent: each is matched by its identity
        // (mobile, else e-mail). One the answer does not name exactly once is not guessed: it may have been
        // created, so it is reported as not resolved, and sending it again finds it.
        var byIdentity = created.List.Where(c => c.Id is not null).ToLookup(c => IdentityOf(c.Mobile, c.Email), StringComparer.Ordinal);
        foreach (var position in positions)
        {
            var contact = contacts[position];
            var matches = byIdentity[IdentityOf(contact.Phone, contact.Email)].ToList();
            if (matches.Count == 1)
            {
                ids[position] = matches[0].Id;
            }
            else
            {
                unresolved.Add((position, Http.UnexpectedAnswers.Shape(
                    MessengeoProvider.Name,
                    "create contacts",
                    $"it names {(matches.Count == 0 ? "no" : matches.Count.ToString(CultureInfo.InvariantCulture))} created contact with {(contact.Phone is not null ? "mobile " + contact.Phone : "e-mail " + contact.Email)}",
                    isWrite: true)));
            }
        }
    }

    private static string IdentityOf(string? mobile, string? email)
        => IdentityKeys.Of(ContactIdentity.ProviderId, new Contact { Phone = mobile, Email = email }) ?? string.Empty;
}
