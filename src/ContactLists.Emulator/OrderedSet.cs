using System.Text.Json.Nodes;

namespace ContactLists.Emulator;

/// <summary>
/// A list's members in the order they joined, with constant-time membership, adds and removes, and pages read at
/// their offset (removals are compacted before the next read), so that a list of a million behaves as a list of ten.
/// </summary>
internal sealed class OrderedSet<T>
    where T : notnull
{
    private readonly List<T> _order = [];
    private readonly HashSet<T> _set = [];
    private int _removed;

    public int Count => _set.Count;

    /// <summary>Every member, in the order they joined.</summary>
    public IReadOnlyList<T> All
    {
        get
        {
            if (_removed > 0)
            {
                _order.RemoveAll(id => !_set.Contains(id));
                _removed = 0;
            }

            return _order;
        }
    }

    public bool Contains(T id) => _set.Contains(id);

    public bool Add(T id)
    {
        if (!_set.Add(id))
        {
            return false;
        }

        if (_removed > 0)
        {
            // Removals are compacted before an add, so that a member removed and added again joins at the end, once.
            _ = All;
        }

        _order.Add(id);
        return true;
    }

    public bool Remove(T id)
    {
        if (!_set.Remove(id))
        {
            return false;
        }

        _removed++;
        return true;
    }

    public void Clear()
    {
        _order.Clear();
        _set.Clear();
        _removed = 0;
    }
}

/// <summary>A list seen through a projection, read by index (so that paging it does not copy it).</summary>
internal sealed class Mapped(IReadOnlyList<long> ids, Func<long, JsonObject> map) : IReadOnlyList<JsonObject>
{
    public JsonObject this[int index] => map(ids[index]);

    public int Count => ids.Count;

    public IEnumerator<JsonObject> GetEnumerator() => ids.Select(map).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
