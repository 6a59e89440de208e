namespace ContactLists;

/// <summary>How a sync makes the target equal to the source.</summary>
[System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<SyncMode>))]
public enum SyncMode
{
    /// <summary>The target's members were read and compared: only the differences are sent.</summary>
    Difference,

    /// <summary>
    /// The target's members cannot be read whole (Movio, Octopush, a Whippy list larger than one page), so the list is
    /// replaced with the source, with the provider's own replace: everyone not in the source leaves.
    /// </summary>
    Replace,
}
