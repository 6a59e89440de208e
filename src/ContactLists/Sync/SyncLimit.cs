using System.Globalization;

namespace ContactLists;

/// <summary>
/// A guard's limit: a number of contacts, a share of a whole (such as 10% of a list's members), or no limit. Written
/// as people write it: <c>500</c>, <c>10%</c>, <c>all</c> (<see cref="Parse"/>).
/// </summary>
public readonly record struct SyncLimit
{
    /// <summary>The smallest a share allows: a limit of 10% of a list of 20 still allows this many.</summary>
    public const int Floor = 10;

    private SyncLimit(long? count, double? share)
    {
        Count = count;
        Share = share;
    }

    /// <summary>The default of <see cref="SyncOptions.MaxRemovals"/>: 10% of the list.</summary>
    public static SyncLimit DefaultMaxRemovals { get; } = Percent(10);

    /// <summary>The default of <see cref="SyncOptions.MaxLeftOut"/>: 50% of the source's rows.</summary>
    public static SyncLimit DefaultMaxLeftOut { get; } = Percent(50);

    /// <summary>No limit.</summary>
    public static SyncLimit All { get; } = new(null, null);

    /// <summary>At most <paramref name="count"/> contacts.</summary>
    /// <param name="count">The number (0 or more).</param>
    public static SyncLimit Contacts(long count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        return new(count, null);
    }

    /// <summary>At most <paramref name="percent"/>% of the whole (and never fewer than <see cref="Floor"/>).</summary>
    /// <param name="percent">From 0 to 100.</param>
    public static SyncLimit Percent(double percent)
    {
        if (double.IsNaN(percent) || percent < 0 || percent > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A share is a percentage from 0 to 100.");
        }

        return new(null, percent / 100);
    }

    /// <summary>The number of contacts, when the limit is one.</summary>
    public long? Count { get; }

    /// <summary>The share of the whole (0 to 1), when the limit is one.</summary>
    public double? Share { get; }

    /// <summary>Whether there is no limit.</summary>
    public bool IsUnlimited => Count is null && Share is null;

    /// <summary>How many a whole of <paramref name="whole"/> allows; <see langword="null"/> when the limit is a share of a whole that is not known.</summary>
    /// <param name="whole">The whole, when known.</param>
    public long? Allowed(long? whole) => IsUnlimited ? long.MaxValue
        : Count is { } count ? count
        : whole is { } known ? Math.Max(Floor, (long)Math.Floor(known * Share!.Value))
        : null;

    /// <summary>Reads <c>500</c>, <c>10%</c> or <c>all</c>.</summary>
    /// <param name="text">The text.</param>
    /// <exception cref="FormatException">It is none of those.</exception>
    public static SyncLimit Parse(string text)
        => TryParse(text, out var limit) ? limit : throw new FormatException($"A limit is a number of contacts (500), a percentage (10%) or 'all'; '{text}' is none of those.");

    /// <summary>Reads <c>500</c>, <c>10%</c> or <c>all</c>.</summary>
    /// <param name="text">The text.</param>
    /// <param name="limit">The limit read.</param>
    public static bool TryParse(string? text, out SyncLimit limit)
    {
        limit = default;
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return false;
        }

        if (string.Equals(value, "all", StringComparison.OrdinalIgnoreCase))
        {
            limit = All;
            return true;
        }

        if (value.EndsWith('%'))
        {
            if (double.TryParse(value[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent) && percent is >= 0 and <= 100)
            {
                limit = Percent(percent);
                return true;
            }

            return false;
        }

        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            limit = Contacts(count);
            return true;
        }

        return false;
    }

    /// <summary>As written: <c>500</c>, <c>10%</c> or <c>all</c>.</summary>
    public override string ToString() => IsUnlimited ? "all"
        : Count is { } count ? count.ToString(CultureInfo.InvariantCulture)
        : (Share!.Value * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";
}
