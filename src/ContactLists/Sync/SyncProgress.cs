namespace ContactLists;

/// <summary>What a sync is doing.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SyncStage>))]
public enum SyncStage
{
    /// <summary>The source and the target were read and compared; nothing is sent yet.</summary>
    Planned,

    /// <summary>Adding the source's contacts the target lacks.</summary>
    Adding,

    /// <summary>Updating the fields of members whose fields changed.</summary>
    Updating,

    /// <summary>Removing the target's members the source lacks.</summary>
    Removing,

    /// <summary>Replacing the target's members with the source.</summary>
    Replacing,

    /// <summary>Done (the last report).</summary>
    Done,
}

/// <summary>The progress of a sync (<see cref="SyncOptions.OnProgress"/>): the plan's totals and what is done of them.</summary>
/// <param name="Stage">What the sync is doing.</param>
/// <param name="ToSend">Contacts the plan sends in all: adds and removes, or the replace's contacts (those answered in an earlier run excluded).</param>
/// <param name="Answered">Contacts whose batch was answered so far (delivered or refused), of <paramref name="ToSend"/>.</param>
/// <param name="Delivered">Contacts delivered so far (added, removed, or accepted for processing).</param>
/// <param name="LeftOut">Contacts left out so far: refused by the provider, or not sent.</param>
/// <param name="Elapsed">Time since the sync began sending.</param>
public sealed record SyncProgress(SyncStage Stage, long ToSend, long Answered, long Delivered, long LeftOut, TimeSpan Elapsed)
{
    /// <summary>
    /// The time the rest should take: the plan's estimate at the provider's documented limits until enough is answered
    /// for the pace so far to mean something, then that pace, never faster than the limits allow; <see langword="null"/>
    /// when unknown (a provider that documents no limit, before the pace is known).
    /// </summary>
    public TimeSpan? EstimatedRemaining { get; init; }

    /// <summary>The wall-clock time during which the client was held back by the provider's rate limits since the sync began sending (concurrent waits counted once).</summary>
    public TimeSpan PacingWaited { get; init; }

    /// <summary>The current bulk operation's own progress, when one runs.</summary>
    public BulkProgress? Bulk { get; init; }

    /// <summary>The fraction done, 0 to 1.</summary>
    public double Fraction => ToSend == 0 ? 1 : Math.Clamp((double)Answered / ToSend, 0, 1);
}
