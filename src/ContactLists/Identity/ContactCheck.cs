namespace ContactLists.Identity;

/// <summary>The outcome of checking one contact before it is sent.</summary>
/// <param name="Normalized">The contact as it will be sent, when valid.</param>
/// <param name="Field">The field at fault, when invalid.</param>
/// <param name="Reason">What is wrong, when invalid.</param>
/// <param name="Dropped">Fields of a valid contact the provider has no place for, which will not be sent.</param>
internal readonly record struct ContactCheck(Contact? Normalized, string? Field, string? Reason, IReadOnlyList<string>? Dropped = null)
{
    public static ContactCheck Valid(Contact normalized, IReadOnlyList<string>? dropped = null) => new(normalized, null, null, dropped);

    public static ContactCheck Invalid(string field, string reason) => new(null, field, reason);

    public bool IsValid => Normalized is not null;

    /// <summary>This check, with the fields <paramref name="earlier"/> left out first (an earlier step's) added to its own.</summary>
    public ContactCheck After(IReadOnlyList<string>? earlier)
        => !IsValid || earlier is not { Count: > 0 } ? this : this with { Dropped = [.. earlier, .. Dropped ?? []] };
}
