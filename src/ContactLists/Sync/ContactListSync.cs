using ContactLists.Identity;

namespace ContactLists;

/// <summary>Settings of a <see cref="ContactListSync"/> run.</summary>
public sealed class SyncOptions
{
    /// <summary>Compute and return the plan without changing anything.</summary>
    public bool DryRun { get; init; }

    /// <summary>How the adds and removes run (batch size, concurrency, progress…). Contacts the target refuses are always reported, never thrown.</summary>
    public BulkOptions? Bulk { get; init; }
}

/// <summary>How a sync makes the target equal to the source.</summary>
public enum SyncMode
{
    /// <summary>The target's members were read and compared: only the differences are sent.</summary>
    Difference,

    /// <summary>The target cannot list its members, so its contents are replaced with the source.</summary>
    Replace,
}

/// <summary>What a sync will do (or did).</summary>
public sealed class SyncPlan
{
    /// <summary>The target provider.</summary>
    public required string Provider { get; init; }

    /// <summary>The target list.</summary>
    public required string ListId { get; init; }

    /// <summary>How the target is made equal to the source.</summary>
    public required SyncMode Mode { get; init; }

    /// <summary>Contacts read from the source.</summary>
    public long SourceCount { get; init; }

    /// <summary>Source contacts already in the target (by identity).</summary>
    public long Unchanged { get; init; }

    /// <summary>Source contacts that appeared more than once (by identity); each is synced once.</summary>
    public long Duplicates { get; init; }

    /// <summary>Source contacts to add to the target (in <see cref="SyncMode.Replace"/>, every valid source contact).</summary>
    public IReadOnlyList<Contact> ToAdd { get; init; } = [];

    /// <summary>Target members the source does not hold, to remove (always empty in <see cref="SyncMode.Replace"/>, where the replace removes them).</summary>
    public IReadOnlyList<Contact> ToRemove { get; init; } = [];

    /// <summary>Source contacts without the field the target identifies contacts by, left out, with their input position.</summary>
    public IReadOnlyList<RejectedContact> Invalid { get; init; } = [];
}

/// <summary>The outcome of a sync: the plan, and the bulk results of applying it (none for a dry run).</summary>
/// <param name="Plan">What was planned.</param>
/// <param name="Added">The result of the adds (or of the replace), when applied.</param>
/// <param name="Removed">The result of the removes, when applied.</param>
public sealed record SyncResult(SyncPlan Plan, BulkResult? Added, BulkResult? Removed);

/// <summary>
/// Makes a target list hold exactly the contacts of a source — any <see cref="IAsyncEnumerable{T}"/> of contacts: a
/// file read by the caller, or another provider's list (<see cref="ReadListAsync"/>). It compares by the target's
/// identity (phone, e-mail; for providers keyed by their own ids, the phone, else the e-mail), plans the adds and
/// removes, and applies them through the bulk engine. A target that cannot list its members is replaced instead;
/// a target that can do neither is refused before anything is sent.
/// </summary>
public sealed class ContactListSync
{
    private readonly IContactListClient _target;

    /// <summary>Creates a sync into <paramref name="target"/>.</summary>
    /// <param name="target">The client of the target account.</param>
    public ContactListSync(IContactListClient target)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
    }

    /// <summary>Reads every member of a list of any provider, as a sync source.</summary>
    /// <param name="source">The source account's client.</param>
    /// <param name="listId">The source list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static IAsyncEnumerable<Contact> ReadListAsync(IContactListClient source, string listId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Capabilities.HasFlag(ContactListCapabilities.GetContacts))
        {
            throw new ContactListOperationNotSupportedException(source.ProviderName, "GetContacts", "A list of this provider cannot be a sync source, because its members cannot be read.");
        }

        // Provider ids mean nothing to another provider: the source's ids are dropped.
        return Strip(source.GetContactsAsync(listId, cancellationToken));

        static async IAsyncEnumerable<Contact> Strip(IAsyncEnumerable<Contact> contacts)
        {
            await foreach (var contact in contacts.ConfigureAwait(false))
            {
                yield return contact with { Id = null };
            }
        }
    }

    /// <summary>Plans the sync and, unless <see cref="SyncOptions.DryRun"/> is set, applies it.</summary>
    /// <param name="listId">The target list.</param>
    /// <param name="source">The contacts the target must hold.</param>
    /// <param name="options">Dry run and bulk settings.</param>
    /// <param name="cancellationToken">Cancels the sync.</param>
    public async Task<SyncResult> SyncAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        ArgumentNullException.ThrowIfNull(source);
        options ??= new SyncOptions();

        // One span for the whole sync: its reads, adds and removes nest under it.
        using var activity = ContactListsTelemetry.Source.StartActivity("ContactLists Sync");
        activity?.SetTag(ContactListsTelemetry.ProviderTag, _target.ProviderName);
        activity?.SetTag(ContactListsTelemetry.AccountTag, _target.ClientName);
        activity?.SetTag(ContactListsTelemetry.ListTag, listId);
        try
        {
            var result = await SyncCoreAsync(listId, source, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contactlists.sync.mode", result.Plan.Mode.ToString());
            activity?.SetTag("contactlists.sync.added", result.Added?.Accepted + result.Added?.AcceptedForProcessing ?? 0L);
            activity?.SetTag("contactlists.sync.removed", result.Removed?.Accepted + result.Removed?.AcceptedForProcessing ?? 0L);
            activity?.SetTag(ContactListsTelemetry.OutcomeTag, result.Added is { IsComplete: false } || result.Removed is { IsComplete: false } ? "partial" : "success");
            return result;
        }
        catch (Exception ex)
        {
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
    }

    private async Task<SyncResult> SyncCoreAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions options, CancellationToken cancellationToken)
    {
        var capabilities = _target.Capabilities;
        var canDiff = capabilities.HasFlag(ContactListCapabilities.GetContacts) && capabilities.HasFlag(ContactListCapabilities.AddContacts) && capabilities.HasFlag(ContactListCapabilities.RemoveContacts);
        var canReplace = capabilities.HasFlag(ContactListCapabilities.ReplaceContacts);
        if (!canDiff && !canReplace)
        {
            throw new ContactListOperationNotSupportedException(_target.ProviderName, "Sync",
                "A sync needs either to read a list's members and add and remove contacts, or to replace a list's contacts.");
        }

        var plan = await PlanAsync(listId, source, canDiff ? SyncMode.Difference : SyncMode.Replace, cancellationToken).ConfigureAwait(false);
        if (options.DryRun)
        {
            return new SyncResult(plan, null, null);
        }

        // A sync reports the contacts the target refuses in its results rather than stopping at the first one.
        var given = options.Bulk ?? new BulkOptions();
        var bulk = new BulkOptions
        {
            BatchSize = given.BatchSize,
            ContinueOnError = given.ContinueOnError,
            MaxConcurrency = given.MaxConcurrency,
            Pacing = given.Pacing,
            Progress = given.Progress,
            InvalidContacts = InvalidContactHandling.Reject,
        };
        if (plan.Mode == SyncMode.Replace)
        {
            return new SyncResult(plan, await _target.ReplaceContactsAsync(listId, plan.ToAdd, bulk, cancellationToken).ConfigureAwait(false), null);
        }

        var added = plan.ToAdd.Count == 0 ? null : await _target.AddContactsAsync(listId, plan.ToAdd, bulk, cancellationToken).ConfigureAwait(false);
        var removed = plan.ToRemove.Count == 0 ? null : await _target.RemoveContactsAsync(listId, plan.ToRemove, bulk, cancellationToken).ConfigureAwait(false);
        return new SyncResult(plan, added, removed);
    }

    private async Task<SyncPlan> PlanAsync(string listId, IAsyncEnumerable<Contact> source, SyncMode mode, CancellationToken cancellationToken)
    {
        // The target's members by identity (only keys and the member records to remove are held, not the source).
        var members = new Dictionary<string, Contact>(StringComparer.Ordinal);
        if (mode == SyncMode.Difference)
        {
            await foreach (var member in _target.GetContactsAsync(listId, cancellationToken).ConfigureAwait(false))
            {
                if (Key(member) is { } key)
                {
                    members.TryAdd(key, member);
                }
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var toAdd = new List<Contact>();
        var invalid = new List<RejectedContact>();
        long read = 0, unchanged = 0, duplicates = 0;
        await foreach (var contact in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var index = read++;
            if (contact is null || Key(contact) is not { } key)
            {
                invalid.Add(new RejectedContact(index, contact ?? new Contact(), IdentityField, $"{IdentityField} is missing or not valid for {_target.ProviderName}", ByProvider: false));
                continue;
            }

            if (!seen.Add(key))
            {
                duplicates++;
                continue;
            }

            if (members.ContainsKey(key))
            {
                unchanged++;
            }
            else
            {
                toAdd.Add(contact);
            }
        }

        return new SyncPlan
        {
            Provider = _target.ProviderName,
            ListId = listId,
            Mode = mode,
            SourceCount = read,
            Unchanged = unchanged,
            Duplicates = duplicates,
            ToAdd = toAdd,
            ToRemove = members.Where(m => !seen.Contains(m.Key)).Select(m => m.Value).ToArray(),
            Invalid = invalid,
        };
    }

    private string IdentityField => _target.Identity switch
    {
        ContactIdentity.Email => nameof(Contact.Email),
        ContactIdentity.Phone => nameof(Contact.Phone),
        _ => "Phone/Email",
    };

    /// <summary>The identity a contact is compared by, normalized; <see langword="null"/> when it has none.</summary>
    private string? Key(Contact contact)
    {
        string? Phone() => ContactFieldRules.TryNormalizePhone(contact.Phone, PhoneNumberCheck.Possible, out var phone, out _) ? "tel:" + phone : null;
        string? Email() => ContactFieldRules.TryNormalizeEmail(contact.Email, out var email, out _) ? "mailto:" + email.ToLowerInvariant() : null;
        return _target.Identity switch
        {
            ContactIdentity.Phone => Phone(),
            ContactIdentity.Email => Email(),
            // Providers keyed by their own ids: a source from elsewhere has none, so compare what both sides have.
            _ => Phone() ?? Email(),
        };
    }
}
