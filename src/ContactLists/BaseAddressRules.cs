using System.Net;

namespace ContactLists;

/// <summary>The rule every provider base address follows: absolute, and HTTPS unless it points at this machine.</summary>
internal static class BaseAddressRules
{
    /// <summary>Returns why <paramref name="address"/> is not acceptable, or <see langword="null"/> when it is.</summary>
    public static string? Check(Uri? address, string settingPath)
    {
        if (address is null)
        {
            return $"{settingPath} is required.";
        }

        if (!address.IsAbsoluteUri)
        {
            return $"{settingPath} must be an absolute URL, but is '{address}'.";
        }

        if (address.Scheme == Uri.UriSchemeHttps)
        {
            return null;
        }

        if (address.Scheme == Uri.UriSchemeHttp && IsLoopback(address))
        {
            return null;
        }

        return $"{settingPath} must use https (plain http is allowed only for loopback addresses such as the emulator), but is '{address.GetLeftPart(UriPartial.Authority)}'.";
    }

    /// <summary>
    /// The address requests are built on. Providers print their base address with a path prefix that the SDK's
    /// request paths already carry (Whippy's <c>https://api.whippy.co/v1</c>, Octopush's <c>…/v1/public</c>):
    /// an address that ends with <paramref name="documentedPrefix"/> is used without it, so that both forms work
    /// and neither doubles the prefix on the wire (<c>/v1/v1/…</c>). Any other path (a gateway's, say) is kept.
    /// </summary>
    public static Uri Effective(Uri address, string? documentedPrefix)
    {
        var path = address.AbsolutePath.TrimEnd('/');
        if (string.IsNullOrEmpty(documentedPrefix) || !path.EndsWith(documentedPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return address;
        }

        var builder = new UriBuilder(address) { Path = path[..^documentedPrefix.Length] + "/" };
        return builder.Uri;
    }

    private static bool IsLoopback(Uri address)
        => address.IsLoopback
           || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
           || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
