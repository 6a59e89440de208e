using ContactLists.Identity;
using System.Runtime.CompilerServices;
using ContactLists.Bulk;
using ContactLists.Resolution;

namespace ContactLists.Adapters;

// The bulk operations: the provider's batch hooks and the engine run (a replace runs the steps of the adapter's
// declared ReplaceStrategy, in Bulk/Replace).
internal abstract partial class ContactListClientBase : IReplaceTarget
{
    /// <summary>Sends one batch of a bulk operation (the contacts are already checked, normalized and de-duplicated).</summary>
    /// <param name="action">What to do with the batch: a replace arrives as its steps (<see cref="BatchAction.Overwrite"/> for the first batch of a native overwrite, <see cref="BatchAction.Add"/> otherwise).</param>
    /// <param name="listId">The list.</param>
    /// <param name="batch">The batch.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task<BatchResponse> SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken)
        => throw NotSupported(action + "Contacts");

    /// <summary>Empties a list (the first step of <see cref="ReplaceStrategy.EmptyThenAdd"/>).</summary>
    /// <param name="listId">The list.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task EmptyListAsync(string listId, CancellationToken cancellationToken) => throw NotSupported("ReplaceContacts");

    /// <summary>
    /// The directory that resolves contacts to the provider's ids, for providers whose membership calls take them
    /// (SlickText, Messengeo); <see langword="null"/> for the others, whose calls take phones or e-mails.
    /// </summary>
    private protected virtual ContactDirectory? Directory => null;

    /// <summary>
    /// Sets up what a bulk call's batches share, handed to each batch as <see cref="BulkBatch.Call"/> and disposed after
    /// the call: for a provider with a <see cref="Directory"/>, the reads planned for the call (a replace reads the
    /// list's members once, first: they are kept as they are, and the others removed after the adds). Otherwise none.
    /// </summary>
    private async Task<ResolutionCall?> BeginBulkCallAsync(BulkOperation operation, string listId, long? expectedContacts, CancellationToken cancellationToken)
    {
        if (Directory is not { } directory)
        {
            return null;
        }

        var call = directory.BeginCall(operation, listId, expectedContacts);
        await call.PrepareAsync(cancellationToken).ConfigureAwait(false);
        return call;
    }

    /// <summary>The call a batch belongs to, or a call of its own when it was sent alone (outside a bulk call).</summary>
    private protected ResolutionCall CallOf(BulkBatch batch, string listId)
        => batch.Call ?? (Directory ?? throw new InvalidOperationException($"{ProviderName} resolves no contact ids.")).BeginCall(BulkOperation.Add, listId, batch.Contacts.Count);

    /// <summary>
    /// The ids of the list's members before a replace by difference, to remove those the new set does not hold. By
    /// default the list is read (after the adds); a call that read it whole already holds those ids.
    /// </summary>
    /// <param name="listId">The list.</param>
    /// <param name="call">What <see cref="BeginBulkCallAsync"/> set up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    private async Task<IReadOnlyList<string>> FormerMemberIdsAsync(string listId, ResolutionCall? call, CancellationToken cancellationToken)
    {
        if (call is { ListReadWhole: true })
        {
            return call.MemberIds;
        }

        var ids = new List<string>();
        await foreach (var member in GetContactsCoreAsync(listId, cancellationToken).ConfigureAwait(false))
        {
            if (member.Id is { } id)
            {
                ids.Add(id);
            }
        }

        return ids;
    }

    /// <summary>Removes members by provider id (the second half of a replace by difference).</summary>
    /// <param name="listId">The list.</param>
    /// <param name="memberIds">At most <see cref="DefaultBatchSize"/> ids.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    protected virtual Task RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
        => throw NotSupported("ReplaceContacts");

    private Task<BulkResult> RunBulkAsync(BulkOperation operation, string listId, IEnumerable<Contact> contacts, BulkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        PrepareBulk(operation, listId, options);
        options ??= DefaultBulkOptions;

        // A collection is already in memory: every contact is checked before the first request, so that bad input
        // fails before anything is sent. A stream is checked batch by batch instead, as it is read.
        var checkFirst = options.InvalidContacts == InvalidContactHandling.Throw && contacts is IReadOnlyCollection<Contact> or ICollection<Contact> ? contacts : null;
        long? total = options.ExpectedTotal ?? (contacts.TryGetNonEnumeratedCount(out var count) ? count : null);
        return Tracer.TracedAsync(operation + "Contacts", listId, () => RunBulkCoreAsync(operation, listId, ToAsync(contacts, cancellationToken), options, cancellationToken, total, checkFirst));
    }

    private Task<BulkResult> RunBulkAsync(BulkOperation operation, string listId, IAsyncEnumerable<Contact> contacts, BulkOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(contacts);
        PrepareBulk(operation, listId, options);
        return Tracer.TracedAsync(operation + "Contacts", listId, () => RunBulkCoreAsync(operation, listId, contacts, options ?? DefaultBulkOptions, cancellationToken, options?.ExpectedTotal));
    }

    private static readonly BulkOptions DefaultBulkOptions = new();

    private void PrepareBulk(BulkOperation operation, string listId, BulkOptions? options)
    {
        Arguments.CheckId(listId, nameof(listId));
        options?.Validate(nameof(options));

        var capability = operation switch
        {
            BulkOperation.Add => ContactListCapabilities.AddContacts,
            BulkOperation.Remove => ContactListCapabilities.RemoveContacts,
            BulkOperation.Update => ContactListCapabilities.UpdateContacts,
            _ => ContactListCapabilities.ReplaceContacts,
        };
        Require(capability, operation + "Contacts");
        CheckListId(listId, nameof(listId));
    }

    private async Task<BulkResult> RunBulkCoreAsync(BulkOperation operation, string listId, IAsyncEnumerable<Contact> contacts, BulkOptions options, CancellationToken cancellationToken, long? total = null, IEnumerable<Contact>? checkFirst = null)
    {
        var rules = RulesFor(options);
        if (checkFirst is not null)
        {
            long index = 0;
            foreach (var contact in checkFirst)
            {
                var check = contact is null ? ContactCheck.Invalid("Contact", "is null") : await PrepareAsync(contact, rules, cancellationToken).ConfigureAwait(false);
                if (!check.IsValid)
                {
                    throw new ContactListValidationException(ProviderName, index, check.Field!, check.Reason!);
                }

                index++;
            }
        }

        var replace = operation == BulkOperation.Replace ? ListReplace.For(ReplaceStrategy, this, listId) ?? throw NotSupported("ReplaceContacts") : null;
        var call = await BeginBulkCallAsync(operation, listId, total, cancellationToken).ConfigureAwait(false);
        using var disposeCall = call;
        var run = new BulkRun
        {
            Call = call,
            Provider = ProviderName,
            Account = ClientName,
            Logger = Logger,
            ListId = listId,
            Operation = operation,
            BatchSize = BatchSizeFor(operation, options),
            Options = options,
            Check = (contact, ct) => PrepareAsync(contact, rules, ct),
            IdentityOf = contact => IdentityKeys.OfSent(Identity, contact),
            Send = replace is null
                ? (batch, ct) => SendBatchAsync(ActionOf(operation), listId, batch, ct)
                : replace.SendAsync,
            FirstBatchAlone = replace?.FirstBatchAlone ?? false,
            SeveralBatchesReason = replace?.SeveralBatchesReason,
            NonAtomicReason = replace?.NonAtomicReason,
            TimeProvider = TimeProvider,
            Total = total,
        };
        var result = await BulkEngine.RunAsync(run, contacts, cancellationToken).ConfigureAwait(false);
        return replace is null ? result : await replace.FinishAsync(result, call, cancellationToken).ConfigureAwait(false);
    }

    private static BatchAction ActionOf(BulkOperation operation) => operation switch
    {
        BulkOperation.Add => BatchAction.Add,
        BulkOperation.Remove => BatchAction.Remove,
        _ => BatchAction.Update,
    };

    string? IReplaceTarget.AppliesLater => AppliesLater;

    int IReplaceTarget.RemoveBatchSize => DefaultBatchSize;

    Task<BatchResponse> IReplaceTarget.SendBatchAsync(BatchAction action, string listId, BulkBatch batch, CancellationToken cancellationToken)
        => SendBatchAsync(action, listId, batch, cancellationToken);

    Task IReplaceTarget.EmptyListAsync(string listId, CancellationToken cancellationToken) => EmptyListAsync(listId, cancellationToken);

    Task<IReadOnlyList<string>> IReplaceTarget.FormerMemberIdsAsync(string listId, ResolutionCall? call, CancellationToken cancellationToken)
        => FormerMemberIdsAsync(listId, call, cancellationToken);

    Task IReplaceTarget.RemoveMemberIdsAsync(string listId, IReadOnlyList<string> memberIds, CancellationToken cancellationToken)
        => RemoveMemberIdsAsync(listId, memberIds, cancellationToken);

    private static async IAsyncEnumerable<Contact> ToAsync(IEnumerable<Contact> contacts, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var contact in contacts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return contact;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
