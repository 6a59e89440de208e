using System.Globalization;

namespace ContactLists;

/// <summary>
/// Reads the times some providers write without a zone (<c>"2025-03-04 09:12:55"</c>): in the zone the account's
/// options name, since the providers document none. One place for SlickText and Messengeo.
/// </summary>
internal static class ZonelessTimes
{
    /// <summary>The zone <paramref name="timeZoneId"/> names, or UTC when it is empty.</summary>
    public static TimeZoneInfo Zone(string? timeZoneId)
        => string.IsNullOrWhiteSpace(timeZoneId) ? TimeZoneInfo.Utc : TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);

    /// <summary>Adds a start-up problem when <paramref name="timeZoneId"/> names no zone this machine knows.</summary>
    public static void Validate(string? timeZoneId, string settingPath, ICollection<string> problems)
    {
        try
        {
            Zone(timeZoneId);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            problems.Add($"{settingPath}:TimeZoneId '{timeZoneId}' is not a time zone this machine knows (use an IANA id such as America/New_York).");
        }
    }

    /// <summary><c>yyyy-MM-dd HH:mm:ss</c> read in <paramref name="zone"/>, with that zone's offset at that time; <see langword="null"/> when absent or unreadable.</summary>
    public static DateTimeOffset? Read(string? text, TimeZoneInfo zone)
        => DateTime.TryParseExact(text, "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out var local)
            ? new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), zone.GetUtcOffset(local))
            : null;
}
