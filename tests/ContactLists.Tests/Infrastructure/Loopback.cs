using System.Net;
using System.Net.Sockets;

namespace ContactLists.Tests.Infrastructure;

/// <summary>Loopback ports for tests that start servers or need one where nothing listens.</summary>
public static class Loopback
{
    /// <summary>A port that was free a moment ago (nothing listens on it once this returns).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
