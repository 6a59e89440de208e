using System.Globalization;

namespace ContactLists.Http;

/// <summary>Reads how long a provider asked the caller to wait before trying again.</summary>
internal static class RetryDelays
{
    /// <summary>
    /// The wait the response asks for: the standard <c>Retry-After</c> header (delta-seconds or HTTP-date, measured
    /// against <paramref name="timeProvider"/>), else the provider's own wait header; <see langword="null"/> when neither is present.
    /// </summary>
    public static TimeSpan? FromResponse(HttpResponseMessage response, ProviderHttpProfile profile, TimeProvider timeProvider)
    {
        var retryAfter = response.Headers.RetryAfter;
        if (retryAfter?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (retryAfter?.Date is { } date)
        {
            var wait = date - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return profile.ReadProviderRetryDelay(response);
    }

    /// <summary>Reads a header holding a whole number, or <see langword="null"/>.</summary>
    public static long? ReadLongHeader(HttpResponseMessage response, string name)
    {
        if (response.Headers.TryGetValues(name, out var values))
        {
            foreach (var value in values)
            {
                if (long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                {
                    return number;
                }
            }
        }

        return null;
    }
}
