namespace ContactLists.Bulk;

/// <summary>One batch handed to a provider adapter to send.</summary>
/// <param name="Index">Zero-based batch position.</param>
/// <param name="Contacts">The normalized contacts.</param>
/// <param name="InputIndexes">The input position of each contact.</param>
internal sealed record BulkBatch(int Index, IReadOnlyList<Contact> Contacts, IReadOnlyList<long> InputIndexes)
{
    /// <summary>The call's resolution, for providers that resolve contact ids (<c>ContactListClientBase.Directory</c>): reads shared by its batches; <see langword="null"/> otherwise.</summary>
    public Resolution.ResolutionCall? Call { get; init; }
}
