using System.Net;

namespace ContactLists.Http;

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

    private static bool IsLoopback(Uri address)
        => address.IsLoopback
           || string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
           || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));
}
