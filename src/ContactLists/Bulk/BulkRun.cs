using ContactLists.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace ContactLists.Bulk;

/// <summary>Everything the engine needs to run one bulk operation for one adapter.</summary>
internal sealed class BulkRun
{
    public required string Provider { get; init; }

    /// <summary>The client (account) name, for telemetry.</summary>
    public string Account { get; init; } = string.Empty;

    /// <summary>Where batch outcomes are logged (at Debug).</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    public required string ListId { get; init; }

    public required BulkOperation Operation { get; init; }

    /// <summary>The batch size after capping at the provider's limit.</summary>
    public required int BatchSize { get; init; }

    public required BulkOptions Options { get; init; }

    /// <summary>Checks a contact as it will be sent (asynchronous only when the provider's fields must be read first, once).</summary>
    public required Func<Contact, CancellationToken, ValueTask<ContactCheck>> Check { get; init; }

    public required Func<BulkBatch, CancellationToken, Task<BatchResponse>> Send { get; init; }

    /// <summary>Why the operation is not atomic when it takes more than one batch (a replace: the first batch replaces, the rest add).</summary>
    public string? SeveralBatchesReason { get; init; }

    /// <summary>Why the operation is not atomic whatever its size (an "empty, then add" replace; a provider that applies later).</summary>
    public string? NonAtomicReason { get; init; }

    /// <summary>
    /// Whether the first batch must complete before any other is sent (the first step of a replace). Its failure
    /// stops the run whatever <see cref="BulkOptions.ContinueOnError"/> says: the later steps only add.
    /// </summary>
    public bool FirstBatchAlone { get; init; }

    /// <summary>
    /// The identity of a checked contact (such as its normalized phone), to send each identity once per run; a
    /// later contact with the same identity is reported as a duplicate. <see langword="null"/> keys are not compared.
    /// </summary>
    public Func<Contact, string?>? IdentityOf { get; init; }

    /// <summary>How many contacts the input holds, when it is a collection (for the progress estimate).</summary>
    public long? Total { get; init; }

    /// <summary>What the adapter set up for the call, handed to every batch (<see cref="BulkBatch.Call"/>).</summary>
    public Resolution.ResolutionCall? Call { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
