namespace ContactLists;

/// <summary>
/// What a sync has had answered so far, to resume it after an interruption without sending anything twice
/// (<see cref="SyncOptions.Checkpoint"/>). Contacts are recorded by their identity as the sync compares them (a phone
/// in E.164, a lower-case e-mail): a state file holding it holds those.
/// </summary>
public sealed class SyncCheckpoint
{
    /// <summary>The list the sync was making equal to its source; a checkpoint of another list is refused.</summary>
    public string? ListId { get; set; }

    /// <summary>The mode it was planned in; a resume keeps it.</summary>
    public SyncMode? Mode { get; set; }

    /// <summary>For <see cref="SyncMode.Replace"/>: the replace's first step (the provider's overwrite, or emptying the list) was answered, so a resume only adds.</summary>
    public bool ReplaceStarted { get; set; }

    /// <summary>Identities whose add (or replace batch) was answered.</summary>
    public HashSet<string> Added { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Identities whose remove was answered.</summary>
    public HashSet<string> Removed { get; set; } = new(StringComparer.Ordinal);

    /// <summary>
    /// For <see cref="SyncMode.Difference"/>: the identities the plan removes, so that a resume can finish them even if
    /// the list can no longer be read whole (a Whippy list that outgrew its one page of members during the run).
    /// </summary>
    public HashSet<string> PlannedRemovals { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether nothing was recorded yet.</summary>
    public bool IsEmpty => ListId is null && Added.Count == 0 && Removed.Count == 0 && !ReplaceStarted;
}
