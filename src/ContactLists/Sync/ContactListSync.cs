using ContactLists.Identity;

namespace ContactLists;

/// <summary>
/// Makes a target list hold exactly the contacts of a source — any <see cref="IAsyncEnumerable{T}"/> of contacts: a
/// file (<see cref="ContactCsv"/>), your database, or another provider's list (<see cref="ReadListAsync"/>) — and keeps
/// their fields up to date, remembering in a <see cref="ISyncLedger"/> what it sent. It plans first, sending nothing
/// but reads (<see cref="PlanAsync"/>): contacts are checked as the target's client checks them, duplicates and invalid
/// rows set aside with their reasons, and the source compared with the list as read (where its members can be read)
/// or with the ledger (where they cannot: Movio, Octopush, a Whippy list larger than one page): adds, updates, removes,
/// unchanged, and the requests and time at the provider's documented limits. Guards refuse a plan that would remove
/// too many members, empty the list or leave out most of the source (<see cref="SyncOptions.MaxRemovals"/>). Then it
/// applies the plan (<see cref="ApplyAsync"/>), writing each answered batch to the ledger: a re-run of an unchanged
/// source sends no write at all, and an interrupted run resumes by running it again.
/// </summary>
public sealed class ContactListSync
{
    private readonly IContactListClient _target;
    private readonly SyncPlanner _planner;
    private readonly SyncApplier _applier;

    /// <summary>Creates a sync into <paramref name="target"/>.</summary>
    /// <param name="target">The client of the target account.</param>
    /// <param name="ledger">
    /// Where what the syncs sent is kept between runs; <see langword="null"/>: one in this instance's memory only (every
    /// new instance starts as a first sync). Use the one the service container holds (<c>AddContactLists</c> registers
    /// an in-process one; <c>UseSqliteSyncLedger</c> and <c>UseRedisSyncLedger</c> keep it beyond the process).
    /// </param>
    /// <param name="timeProvider">The clock of the ledger's times and of progress; <see langword="null"/> for the system's.</param>
    public ContactListSync(IContactListClient target, ISyncLedger? ledger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        Ledger = ledger ?? new InMemorySyncLedger();
        var clock = timeProvider ?? TimeProvider.System;
        _planner = new SyncPlanner(target, Ledger, clock);
        _applier = new SyncApplier(target, Ledger, clock);
    }

    /// <summary>The ledger this sync keeps.</summary>
    public ISyncLedger Ledger { get; }

    /// <summary>The list <paramref name="listId"/> of this sync's target as its ledger names it.</summary>
    /// <param name="listId">The list.</param>
    public SyncTarget TargetOf(string listId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        return _planner.TargetOf(listId);
    }

    /// <summary>Reads every member of a list of any provider, as a sync source.</summary>
    /// <param name="source">The source account's client.</param>
    /// <param name="listId">The source list.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static IAsyncEnumerable<Contact> ReadListAsync(IContactListClient source, string listId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (!source.Capabilities.HasFlag(ContactListCapabilities.GetContacts) && !source.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
        {
            throw new ContactListOperationNotSupportedException(source.ProviderName, "GetContacts", "A list of this provider cannot be a sync source, because its members cannot be read.");
        }

        // Provider ids mean nothing to another provider, nor does the source's record of consent: both are dropped.
        return Strip(source.GetContactsAsync(listId, cancellationToken));

        static async IAsyncEnumerable<Contact> Strip(IAsyncEnumerable<Contact> contacts)
        {
            await foreach (var contact in contacts.ConfigureAwait(false))
            {
                yield return contact with { Id = null, Consent = null };
            }
        }
    }

    /// <summary>Plans the sync and, unless <see cref="SyncOptions.DryRun"/> is set, applies it.</summary>
    /// <param name="listId">The target list.</param>
    /// <param name="source">The contacts the target must hold.</param>
    /// <param name="options">Dry run, bulk settings, guards, removals, progress.</param>
    /// <param name="cancellationToken">Cancels the sync. Batches in flight finish; the ledger records what was answered.</param>
    /// <exception cref="ContactListSyncRefusedException">A guard refused the plan; nothing was sent.</exception>
    /// <exception cref="ContactListSyncCanceledException">The sync was stopped part-way; running it again resumes it.</exception>
    public async Task<SyncResult> SyncAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyncOptions();
        Validate(listId, source, options);
        using var activity = StartActivity(listId);
        try
        {
            using var plan = await _planner.PlanAsync(listId, source, options, newList: false, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contactlists.sync.mode", plan.Mode.ToString());
            var result = options.DryRun ? new SyncResult(plan, null, null, null) : await _applier.ApplyAsync(plan, options, cancellationToken).ConfigureAwait(false);
            Tag(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Applies a plan made by <see cref="PlanAsync"/> without reading the source or the target again: what a tool does
    /// after showing the plan. The plan holds the contacts it sends.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Bulk settings and progress (<see cref="SyncOptions.DryRun"/> is ignored; the guards were applied when planning).</param>
    /// <param name="cancellationToken">Cancels the sync at once; <see cref="BulkOptions.StopSending"/> stops it after the batches in flight.</param>
    /// <exception cref="ContactListSyncRefusedException">A guard refused the plan (<see cref="SyncPlan.Refusal"/>); nothing was sent.</exception>
    /// <exception cref="ContactListSyncCanceledException">The sync was stopped part-way; running it again resumes it.</exception>
    public async Task<SyncResult> ApplyAsync(SyncPlan plan, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new SyncOptions();
        using var activity = StartActivity(plan.ListId);
        activity?.SetTag("contactlists.sync.mode", plan.Mode.ToString());
        try
        {
            var result = await _applier.ApplyAsync(plan, options, cancellationToken).ConfigureAwait(false);
            Tag(activity, result);
            return result;
        }
        catch (Exception ex)
        {
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
    }

    /// <summary>Plans the sync without sending anything but reads (the same as <see cref="SyncAsync"/> with <see cref="SyncOptions.DryRun"/>).</summary>
    /// <param name="listId">The target list.</param>
    /// <param name="source">The contacts the target must hold.</param>
    /// <param name="options">Bulk settings (region, attribute map, batch size for the estimate), guards and removals.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public Task<SyncPlan> PlanAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyncOptions();
        Validate(listId, source, options);
        return _planner.PlanAsync(listId, source, options, newList: false, cancellationToken);
    }

    /// <summary>
    /// Plans syncing <paramref name="source"/> into a list that does not exist yet: every valid, distinct contact is an
    /// add. Refused before anything is sent where the provider cannot create lists (Movio's are made in its app).
    /// </summary>
    /// <param name="listName">The name the new list would have.</param>
    /// <param name="source">The contacts the list must hold.</param>
    /// <param name="options">Bulk settings (region, attribute map, batch size for the estimate).</param>
    /// <param name="cancellationToken">Cancels the reading.</param>
    public Task<SyncPlan> PlanNewListAsync(string listName, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listName);
        options ??= new SyncOptions();
        Validate(listName, source, options);
        if (!_target.Capabilities.HasFlag(ContactListCapabilities.CreateList))
        {
            throw new ContactListOperationNotSupportedException(_target.ProviderName, "CreateList",
                $"Lists are made in {_target.ProviderName}'s own app: create it there, then sync into it by its id.");
        }

        return _planner.PlanAsync(listName, source, options, newList: true, cancellationToken);
    }

    /// <summary>Every check that needs no request: bad arguments fail here, before anything is sent.</summary>
    private void Validate(string listId, IAsyncEnumerable<Contact> source, SyncOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        ArgumentNullException.ThrowIfNull(source);
        var caps = _target.Capabilities;
        var addRemove = caps.HasFlag(ContactListCapabilities.AddContacts) && caps.HasFlag(ContactListCapabilities.RemoveContacts);
        if (!addRemove && !caps.HasFlag(ContactListCapabilities.ReplaceContacts))
        {
            throw new ContactListOperationNotSupportedException(_target.ProviderName, "Sync",
                "A sync needs either to add and remove a list's contacts, or to replace them.");
        }

        if (options.Bulk?.DefaultRegion is { } region && !ContactFieldRules.IsKnownRegion(region))
        {
            throw new ContactListValidationException($"BulkOptions.DefaultRegion must be an ISO 3166 region code libphonenumber knows (such as GB, FR, US), but is '{region}'.", nameof(options));
        }

        options.Bulk?.Validate(nameof(options));
        if (options.FullPassAfter is { } age && age <= TimeSpan.Zero)
        {
            throw new ContactListValidationException("SyncOptions.FullPassAfter must be positive.", nameof(options));
        }
    }

    private System.Diagnostics.Activity? StartActivity(string listId)
    {
        // One span for the whole sync: its reads, adds, updates and removes nest under it.
        var activity = ContactListsTelemetry.Source.StartActivity("ContactLists Sync");
        activity?.SetTag(ContactListsTelemetry.ProviderTag, _target.ProviderName);
        activity?.SetTag(ContactListsTelemetry.AccountTag, _target.ClientName);
        activity?.SetTag(ContactListsTelemetry.ListTag, listId);
        return activity;
    }

    private static void Tag(System.Diagnostics.Activity? activity, SyncResult result)
    {
        activity?.SetTag("contactlists.sync.added", result.AddedCount);
        activity?.SetTag("contactlists.sync.updated", result.UpdatedCount);
        activity?.SetTag("contactlists.sync.removed", result.RemovedCount);
        activity?.SetTag(ContactListsTelemetry.OutcomeTag, result.IsComplete ? "success" : "partial");
    }
}
