using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Identity;
using ContactLists.Adapters;

namespace ContactLists;

/// <summary>
/// Makes a target list hold exactly the contacts of a source — any <see cref="IAsyncEnumerable{T}"/> of contacts: a
/// file (<see cref="ContactCsv"/>), your database, or another provider's list (<see cref="ReadListAsync"/>). It plans
/// first, reading the source and the target and sending nothing: contacts are checked and compared as the target's
/// client checks them (its identity, phone rules, default region and fields), duplicates and invalid contacts are set
/// aside with their reasons, and the requests and time are estimated at the provider's documented limits
/// (<see cref="PlanAsync"/>). Then it applies the plan: where the target's members can be read whole, only the
/// differences are sent (<see cref="SyncMode.Difference"/>); where they cannot (Movio, Octopush, a Whippy list larger
/// than one page), the list is replaced (<see cref="SyncMode.Replace"/>). A re-run of the same sync sends nothing when
/// nothing changed (by difference), and an interrupted run resumes from its <see cref="SyncOptions.Checkpoint"/>.
/// </summary>
public sealed class ContactListSync
{
    private static readonly BulkOptions DefaultBulk = new() { ContinueOnError = true };

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
        if (!source.Capabilities.HasFlag(ContactListCapabilities.GetContacts) && !source.Capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage))
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

    /// <summary>How this target is synced: by difference when its members can be read whole, else by replacing the list; <see langword="null"/> when it can do neither.</summary>
    public SyncMode? PreferredMode => Modes(_target.Capabilities) switch
    {
        { Difference: true } => SyncMode.Difference,
        { Replace: true } => SyncMode.Replace,
        _ => null,
    };

    /// <summary>Plans the sync and, unless <see cref="SyncOptions.DryRun"/> is set, applies it.</summary>
    /// <param name="listId">The target list.</param>
    /// <param name="source">The contacts the target must hold.</param>
    /// <param name="options">Dry run, bulk settings, progress, checkpoint.</param>
    /// <param name="cancellationToken">Cancels the sync. Batches in flight finish; the checkpoint says what was answered.</param>
    public async Task<SyncResult> SyncAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyncOptions();
        Validate(listId, source, options);

        // One span for the whole sync: its reads, adds and removes nest under it.
        using var activity = ContactListsTelemetry.Source.StartActivity("ContactLists Sync");
        activity?.SetTag(ContactListsTelemetry.ProviderTag, _target.ProviderName);
        activity?.SetTag(ContactListsTelemetry.AccountTag, _target.ClientName);
        activity?.SetTag(ContactListsTelemetry.ListTag, listId);
        try
        {
            var plan = await PlanCoreAsync(listId, source, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contactlists.sync.mode", plan.Mode.ToString());
            var result = options.DryRun ? new SyncResult(plan, null, null) : await ApplyCoreAsync(plan, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contactlists.sync.added", result.AddedCount);
            activity?.SetTag("contactlists.sync.removed", result.RemovedCount);
            activity?.SetTag(ContactListsTelemetry.OutcomeTag, result.IsComplete ? "success" : "partial");
            return result;
        }
        catch (Exception ex)
        {
            ContactListsTelemetry.SetFailure(activity, ex);
            throw;
        }
    }

    /// <summary>
    /// Applies a plan made by <see cref="PlanAsync"/> (or <see cref="PlanNewListAsync"/>, once the list exists under the
    /// plan's <see cref="SyncPlan.ListId"/>), without reading the source or the target again: what a tool does after
    /// showing the plan. Give the same <see cref="SyncOptions.Checkpoint"/> the plan was made with.
    /// </summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">Bulk settings, progress, checkpoint (<see cref="SyncOptions.DryRun"/> is ignored).</param>
    /// <param name="cancellationToken">Cancels the sync at once; <see cref="BulkOptions.StopSending"/> stops it after the batches in flight.</param>
    public async Task<SyncResult> ApplyAsync(SyncPlan plan, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new SyncOptions();
        using var activity = ContactListsTelemetry.Source.StartActivity("ContactLists Sync");
        activity?.SetTag(ContactListsTelemetry.ProviderTag, _target.ProviderName);
        activity?.SetTag(ContactListsTelemetry.AccountTag, _target.ClientName);
        activity?.SetTag(ContactListsTelemetry.ListTag, plan.ListId);
        activity?.SetTag("contactlists.sync.mode", plan.Mode.ToString());
        try
        {
            var result = await ApplyCoreAsync(plan, options, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("contactlists.sync.added", result.AddedCount);
            activity?.SetTag("contactlists.sync.removed", result.RemovedCount);
            activity?.SetTag(ContactListsTelemetry.OutcomeTag, result.IsComplete ? "success" : "partial");
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
    /// <param name="options">Bulk settings (region, attribute map, batch size for the estimate) and checkpoint.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public Task<SyncPlan> PlanAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new SyncOptions();
        Validate(listId, source, options);
        return PlanCoreAsync(listId, source, options, cancellationToken);
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

        return PlanCoreAsync(listName, source, options, cancellationToken, newList: true);
    }

    /// <summary>Every check that needs no request: bad arguments fail here, before anything is sent.</summary>
    private void Validate(string listId, IAsyncEnumerable<Contact> source, SyncOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(listId);
        ArgumentNullException.ThrowIfNull(source);
        if (PreferredMode is null)
        {
            throw new ContactListOperationNotSupportedException(_target.ProviderName, "Sync",
                "A sync needs either to read a list's members and add and remove contacts, or to replace a list's contacts.");
        }

        if (options.Bulk?.DefaultRegion is { } region && !ContactFieldRules.IsKnownRegion(region))
        {
            throw new ContactListValidationException($"BulkOptions.DefaultRegion must be an ISO 3166 region code libphonenumber knows (such as GB, FR, US), but is '{region}'.", nameof(options));
        }

        if (options.Checkpoint is { ListId: { } checkpointList } && checkpointList != listId)
        {
            throw new ContactListValidationException($"The checkpoint is of list '{checkpointList}', not '{listId}': start a new SyncCheckpoint for another list.", nameof(options));
        }
    }

    private static (bool Difference, bool FirstPageOnly, bool Replace) Modes(ContactListCapabilities capabilities)
    {
        var addRemove = capabilities.HasFlag(ContactListCapabilities.AddContacts) && capabilities.HasFlag(ContactListCapabilities.RemoveContacts);
        var replace = capabilities.HasFlag(ContactListCapabilities.ReplaceContacts);
        var whole = capabilities.HasFlag(ContactListCapabilities.GetContacts) && addRemove;
        // Members readable up to one page: a difference for small lists, a replace for larger ones, so both must be possible.
        var firstPage = !whole && capabilities.HasFlag(ContactListCapabilities.GetContactsFirstPage) && addRemove && replace;
        return (whole || firstPage, firstPage, replace);
    }

    private async Task<SyncPlan> PlanCoreAsync(string listId, IAsyncEnumerable<Contact> source, SyncOptions options, CancellationToken cancellationToken, bool newList = false)
    {
        var adapter = _target as ContactListClientBase;
        var bulk = options.Bulk ?? DefaultBulk;
        var checkpoint = options.Checkpoint;
        var (difference, firstPageOnly, _) = Modes(_target.Capabilities);

        // The target's members by identity: read whole where they can be; else the list is replaced.
        var members = new Dictionary<string, Contact>(StringComparer.Ordinal);
        var unreadable = false;
        var mode = newList ? SyncMode.Difference : checkpoint?.Mode ?? (difference ? SyncMode.Difference : SyncMode.Replace);
        string? modeReason = null;
        long? targetCount = null;
        if (newList)
        {
            // Nothing to read: a new list is empty, so every valid contact is an add.
            targetCount = 0;
            modeReason = "a new list: every valid contact is added";
        }
        else if (mode == SyncMode.Difference)
        {
            try
            {
                await foreach (var member in _target.GetContactsAsync(listId, cancellationToken).ConfigureAwait(false))
                {
                    if (Key(adapter, member) is { } key)
                    {
                        members.TryAdd(key, member);
                    }
                }

                targetCount = members.Count;
                modeReason = $"{_target.ProviderName} lists its members, so only the differences are sent";
            }
            catch (ContactListPagingLimitException tooLarge) when (firstPageOnly && checkpoint?.Mode is null)
            {
                // Nothing was written: read the first page, found the list too large to read whole.
                mode = SyncMode.Replace;
                members.Clear();
                targetCount = tooLarge.Total;
                modeReason = $"the list has {tooLarge.Total:N0} members and {_target.ProviderName} gives only the first {tooLarge.Readable} of a list's members, so the list is replaced";
            }
            catch (ContactListPagingLimitException tooLarge) when (firstPageOnly)
            {
                // A resumed difference whose adds made the list outgrow the one page it can be read in: the adds and
                // removes planned by the interrupted run are finished from its checkpoint, without reading the list.
                members.Clear();
                foreach (var key in checkpoint!.PlannedRemovals)
                {
                    members[key] = FromKey(key);
                }

                unreadable = true;
                targetCount = tooLarge.Total;
                modeReason = $"resuming: the list now has more members than the {tooLarge.Readable} {_target.ProviderName} gives, so the interrupted run's adds and removes are finished without reading it";
            }
        }
        else
        {
            modeReason = difference ? "resuming a replace" : $"{_target.ProviderName} cannot list a list's members, so the list is replaced";
            if (_target.Capabilities.HasFlag(ContactListCapabilities.CountContacts))
            {
                targetCount = await _target.CountContactsAsync(listId, cancellationToken).ConfigureAwait(false);
            }
        }

        // The source, checked as the target's client will check it.
        var rules = adapter?.RulesFor(bulk);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var toAdd = new List<Contact>();
        var toAddIndexes = new List<long>();
        var toAddKeys = new List<string>();
        var invalid = new List<RejectedContact>();
        var fieldsLeftOut = new Dictionary<string, long>(StringComparer.Ordinal);
        long read = 0, blank = 0, unchanged = 0, duplicates = 0, resumedAdded = 0;
        await foreach (var contact in source.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (contact is null || contact.IsBlank)
            {
                blank++;
                continue;
            }

            var index = read++;
            var check = adapter is null ? ContactCheck.Valid(contact) : await adapter.PrepareAsync(contact, rules!, cancellationToken).ConfigureAwait(false);
            if (!check.IsValid || Key(adapter, check.Normalized!) is not { } key)
            {
                invalid.Add(new RejectedContact(index, contact, check.Field ?? IdentityField, check.IsValid
                    ? $"{IdentityField} is required to sync into {_target.ProviderName}"
                    : $"{check.Field} {check.Reason}", ByProvider: false));
                continue;
            }

            if (!seen.Add(key))
            {
                duplicates++;
                continue;
            }

            if (checkpoint?.Added.Contains(key) == true)
            {
                resumedAdded++;
            }
            else if (members.ContainsKey(key) && !unreadable)
            {
                unchanged++;
            }
            else
            {
                toAdd.Add(contact);
                toAddIndexes.Add(index);
                toAddKeys.Add(key);
                foreach (var field in check.Dropped ?? [])
                {
                    fieldsLeftOut[field] = fieldsLeftOut.GetValueOrDefault(field) + 1;
                }
            }
        }

        var leaving = members.Where(m => !seen.Contains(m.Key)).ToList();
        var removing = leaving.Where(m => checkpoint?.Removed.Contains(m.Key) != true).ToArray();
        var toRemove = removing.Select(m => m.Value).ToArray();
        var work = mode == SyncMode.Replace && checkpoint?.ReplaceStarted != true
            ? [(BulkOperation.Replace, (long)toAdd.Count, false)]
            : new[] { (BulkOperation.Add, (long)toAdd.Count, false), (BulkOperation.Remove, (long)toRemove.Length, true) };
        return new SyncPlan
        {
            Provider = _target.ProviderName,
            ListId = listId,
            Mode = mode,
            ModeReason = modeReason,
            SourceCount = read,
            Blank = blank,
            Unchanged = unchanged,
            Duplicates = duplicates,
            TargetCount = targetCount,
            ToAdd = toAdd,
            ToAddSourceIndexes = toAddIndexes,
            ToAddKeys = toAddKeys,
            ToRemove = toRemove,
            ToRemoveKeys = removing.Select(m => m.Key).ToArray(),
            Invalid = invalid,
            FieldsLeftOut = fieldsLeftOut,
            Resumed = (resumedAdded, leaving.Count - toRemove.Length),
            Estimate = adapter?.Estimate(work, options.Bulk) ?? SyncEstimate.None,
        };
    }

    private async Task<SyncResult> ApplyCoreAsync(SyncPlan plan, SyncOptions options, CancellationToken cancellationToken)
    {
        var adapter = _target as ContactListClientBase;
        var checkpoint = options.Checkpoint;
        if (checkpoint is not null)
        {
            checkpoint.ListId = plan.ListId;
            checkpoint.Mode = plan.Mode;
            if (plan.Mode == SyncMode.Difference)
            {
                checkpoint.PlannedRemovals.UnionWith(plan.ToRemoveKeys);
            }
        }

        var progress = new Progress(plan, options, TimeProvider.System);
        progress.Report(SyncStage.Planned, null);

        // The bulk calls report every batch: its delivered contacts go into the checkpoint, its counts into progress.
        BulkOptions Bulk(SyncStage stage, IReadOnlyList<string> keys, HashSet<string>? answered)
        {
            var given = options.Bulk ?? DefaultBulk;
            return new BulkOptions
            {
                BatchSize = given.BatchSize,
                ContinueOnError = given.ContinueOnError,
                MaxConcurrency = given.MaxConcurrency,
                MaxCircuitBreakerWaits = given.MaxCircuitBreakerWaits,
                MaxBatchRetries = given.MaxBatchRetries,
                BatchRetryDelay = given.BatchRetryDelay,
                Pacing = given.Pacing,
                DefaultRegion = given.DefaultRegion,
                AttributeMap = given.AttributeMap,
                StopSending = given.StopSending,
                ExpectedTotal = keys.Count,
                InvalidContacts = InvalidContactHandling.Reject,
                OnBatch = report =>
                {
                    given.OnBatch?.Invoke(report);
                    if (checkpoint is null || answered is null)
                    {
                        return;
                    }

                    if (stage == SyncStage.Replacing && report.Index == 0 && report.Status != BatchStatus.Failed && report.Status != BatchStatus.NotSent)
                    {
                        checkpoint.ReplaceStarted = true;
                    }

                    foreach (var position in report.Delivered)
                    {
                        answered.Add(keys[(int)position]);
                    }

                    options.OnCheckpoint?.Invoke(checkpoint);
                },
                OnProgress = report =>
                {
                    given.OnProgress?.Invoke(report);
                    given.Progress?.Report(report);
                    progress.Report(stage, report);
                },
            };
        }

        BulkResult? added = null, removed = null;
        if (plan.Mode == SyncMode.Replace && checkpoint?.ReplaceStarted != true)
        {
            added = await RunAsync(() => _target.ReplaceContactsAsync(plan.ListId, plan.ToAdd, Bulk(SyncStage.Replacing, plan.ToAddKeys, checkpoint?.Added), cancellationToken)).ConfigureAwait(false);
        }
        else
        {
            if (plan.ToAdd.Count > 0)
            {
                added = await RunAsync(() => _target.AddContactsAsync(plan.ListId, plan.ToAdd, Bulk(SyncStage.Adding, plan.ToAddKeys, checkpoint?.Added), cancellationToken)).ConfigureAwait(false);
            }

            progress.Done(added);
            if (plan.ToRemove.Count > 0)
            {
                // A graceful stop between the adds and the removes: the removes are not started.
                options.Bulk?.StopSending.ThrowIfCancellationRequested();
                removed = await RunAsync(() => _target.RemoveContactsAsync(plan.ListId, plan.ToRemove, Bulk(SyncStage.Removing, plan.ToRemoveKeys, checkpoint?.Removed), cancellationToken)).ConfigureAwait(false);
            }
        }

        var result = new SyncResult(plan, added, removed);
        progress.Report(SyncStage.Done, null);
        return result;

        // A bulk call that stops part-way (a failed first step of a replace) still has a result: the sync reports it.
        static async Task<BulkResult> RunAsync(Func<Task<BulkResult>> run)
        {
            try
            {
                return await run().ConfigureAwait(false);
            }
            catch (ContactListBulkException stopped) when (stopped.InnerException is not ContactListValidationException)
            {
                return stopped.Result;
            }
        }
    }

    /// <summary>A member to remove, from its identity (<c>tel:</c> or <c>mailto:</c>).</summary>
    private static Contact FromKey(string key) => key.StartsWith("tel:", StringComparison.Ordinal)
        ? new Contact { Phone = key["tel:".Length..] }
        : new Contact { Email = key["mailto:".Length..] };

    private string IdentityField => _target.Identity switch
    {
        ContactIdentity.Email => nameof(Contact.Email),
        ContactIdentity.Phone => nameof(Contact.Phone),
        _ => "Phone/Email",
    };

    /// <summary>The identity a contact (checked) or a member (read back) is compared by; <see langword="null"/> when it has none.</summary>
    private string? Key(ContactListClientBase? adapter, Contact contact)
    {
        if (adapter is not null)
        {
            return adapter.SyncKey(contact);
        }

        // A client of another implementation (a test double): compare what the contacts carry, normalized.
        string? Phone() => ContactFieldRules.TryNormalizePhone(contact.Phone, PhoneNumberCheck.Possible, out var phone, out _) ? "tel:" + phone : null;
        string? Email() => ContactFieldRules.TryNormalizeEmail(contact.Email, out var email, out _) ? "mailto:" + email.ToLowerInvariant() : null;
        return _target.Identity switch
        {
            ContactIdentity.Phone => Phone(),
            ContactIdentity.Email => Email(),
            _ => Phone() ?? Email(),
        };
    }

    /// <summary>Turns bulk progress into sync progress: the plan's totals from the first report, answered contacts across the stages.</summary>
    private sealed class Progress(SyncPlan plan, SyncOptions options, TimeProvider clock)
    {
        private readonly long _started = clock.GetTimestamp();
        private long _answeredBefore;
        private long _deliveredBefore;
        private long _leftOutBefore;

        public void Report(SyncStage stage, BulkProgress? bulk)
        {
            if (options.OnProgress is null && options.Progress is null)
            {
                return;
            }

            var delivered = _deliveredBefore + (bulk is null ? 0 : bulk.Accepted + bulk.AcceptedForProcessing);
            var leftOut = _leftOutBefore + (bulk is null ? 0 : bulk.Rejected + bulk.NotSent);
            var answered = stage == SyncStage.Done ? plan.ToSend : _answeredBefore + (bulk is null ? 0 : bulk.Accepted + bulk.AcceptedForProcessing + bulk.Rejected + bulk.NotSent);
            var elapsed = clock.GetElapsedTime(_started);
            TimeSpan? remaining = plan.Estimate.Duration is { } estimate && plan.ToSend > 0
                ? answered == 0 ? estimate : TimeSpan.FromTicks((long)(elapsed.Ticks * ((double)(plan.ToSend - answered) / answered)))
                : null;
            var report = new SyncProgress(stage, plan.ToSend, answered, delivered, leftOut, elapsed) { Bulk = bulk, EstimatedRemaining = remaining };
            options.OnProgress?.Invoke(report);
            options.Progress?.Report(report);
        }

        /// <summary>Adds a finished stage's figures to those before the next.</summary>
        public void Done(BulkResult? result)
        {
            if (result is not null)
            {
                _answeredBefore += result.Read;
                _deliveredBefore += result.Accepted + result.AcceptedForProcessing;
                _leftOutBefore += result.Rejected.Count + result.NotSent.Count;
            }
        }
    }
}
