namespace ContactLists.Bulk;

/// <summary>One batch handed to a provider adapter to send.</summary>
/// <param name="Index">Zero-based batch position.</param>
/// <param name="Contacts">The normalized contacts.</param>
/// <param name="InputIndexes">The input position of each contact.</param>
internal sealed record BulkBatch(int Index, IReadOnlyList<Contact> Contacts, IReadOnlyList<long> InputIndexes)
{
    /// <summary>What the adapter set up for the whole call (<c>ContactListClientBase.BeginBulkCallAsync</c>): reads shared by its batches.</summary>
    public object? Call { get; init; }
}
