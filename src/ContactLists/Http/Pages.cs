using System.Runtime.CompilerServices;

namespace ContactLists.Http;

/// <summary>One page of a paged read, as an adapter maps its provider's answer.</summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="Items">The page's items.</param>
/// <param name="More">
/// Whether the provider says more pages follow (SlickText's <c>hasMore</c>; a full page where a page size is
/// documented), or <see langword="null"/> when the page does not say (Messengeo: a short page proves nothing).
/// </param>
/// <param name="Total">The total the provider reported, if it did.</param>
internal readonly record struct Page<T>(IReadOnlyList<T> Items, bool? More, long? Total);

/// <summary>
/// The one way a paged read is walked, by offset, in the spirit of Azure's <c>Pageable</c>: page after page until an
/// empty page, a page that says it is the last, or the documented total reached; and a typed error
/// (<see cref="ContactListUnexpectedAnswerException"/>, <see cref="UnexpectedAnswerProblem.UnexpectedShape"/>) instead of
/// paging for ever when a server answers the same page again (it ignores the offset) or more pages come than its total
/// allows. Read whole (<see cref="ReadAllAsync"/>) or a page at a time (<see cref="NextAsync"/>, for readers that stop
/// when they have read enough).
/// </summary>
/// <typeparam name="T">The items.</typeparam>
/// <param name="provider">The provider, for the error.</param>
/// <param name="what">What is read, for the error (<c>the members of list 4411</c>).</param>
/// <param name="fetch">Reads the page at an offset.</param>
/// <param name="keyOf">An item's identity (its id), to see a page repeated.</param>
internal sealed class Pages<T>(string provider, string what, Func<int, CancellationToken, Task<Page<T>>> fetch, Func<T, string?> keyOf)
{
    private string[]? _lastKeys;
    private long? _total;

    /// <summary>How many items were read so far (the next page's offset).</summary>
    public int Offset { get; private set; }

    /// <summary>Whether the last page was read.</summary>
    public bool Done { get; private set; }

    /// <summary>The total the provider reported, if it did.</summary>
    public long? Total => _total;

    /// <summary>Reads the next page (nothing once <see cref="Done"/>).</summary>
    public async Task<Page<T>> NextAsync(CancellationToken cancellationToken)
    {
        if (Done)
        {
            return new Page<T>([], false, _total);
        }

        var page = await fetch(Offset, cancellationToken).ConfigureAwait(false);
        var keys = page.Items.Select(i => keyOf(i) ?? string.Empty).ToArray();
        if (keys.Length > 0 && _lastKeys is { } last && keys.SequenceEqual(last))
        {
            throw Endless($"the page at offset {Offset} repeats the page before it ({keys.Length} items): the offset was not applied");
        }

        _total = page.Total ?? _total;
        Offset += page.Items.Count;
        // A list may grow while it is read, by a page at most; beyond that the pages do not add up.
        if (_total is { } total && Offset > total + Math.Max(page.Items.Count, 1) && page.More != false)
        {
            throw Endless($"{Offset:N0} items read where the answer said {total:N0} in all");
        }

        _lastKeys = keys;
        Done = page.Items.Count == 0 || page.More == false || (_total is { } all && Offset >= all);
        return page;
    }

    /// <summary>Every item, page after page.</summary>
    public async IAsyncEnumerable<T> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (!Done)
        {
            var page = await NextAsync(cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Items)
            {
                yield return item;
            }
        }
    }

    private ContactListUnexpectedAnswerException Endless(string why) => new(
        $"{provider} paged {what} without end: {why}. Nothing more is read; the read is reported failed rather than endless.",
        new ProviderError(provider, null, null, null, []),
        UnexpectedAnswerProblem.UnexpectedShape);
}
