using System.Diagnostics;
using StackExchange.Redis;

namespace ContactLists.Tests.ScaleOut;

/// <summary>
/// A Redis server on a free loopback port, started for a test and stopped after it (no persistence): the real
/// <c>redis-server</c> when it is on PATH (CI installs it, so CI covers the real server), else Microsoft Garnet, a
/// Redis-compatible server that a NuGet package brings, run in process with its Lua scripting on (the store's pacing
/// and token scripts are Lua). So <c>dotnet test</c> needs nothing but the .NET SDK; these tests never skip.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process? _process;
    private Garnet.GarnetServer? _garnet;

    private RedisServer(Process? process, Garnet.GarnetServer? garnet, int port)
    {
        _process = process;
        _garnet = garnet;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Which server this is: <c>redis-server</c> or <c>Garnet (in process)</c>.</summary>
    public string Kind => _process is not null ? "redis-server" : "Garnet (in process)";

    /// <summary>The StackExchange.Redis configuration string of this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    /// <summary>Whether a <c>redis-server</c> binary is on PATH.</summary>
    public static bool RedisServerOnPath { get; } = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(directory => File.Exists(Path.Combine(directory, "redis-server")));

    public static async Task<RedisServer> StartAsync()
    {
        var port = Loopback.FreePort();
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        RedisServer server;
        if (RedisServerOnPath)
        {
            var start = new ProcessStartInfo("redis-server")
            {
                ArgumentList = { "--port", portText, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            server = new RedisServer(process, null, port);
        }
        else
        {
            // --lua takes a value; Garnet prints a banner to the console (there is no quiet switch).
            var garnet = new Garnet.GarnetServer(["--port", portText, "--bind", "127.0.0.1", "--lua", "true"]);
            garnet.Start();
            server = new RedisServer(null, garnet, port);
        }

        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(server.Configuration);
                await connection.GetDatabase().PingAsync();
                return server;
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        await server.DisposeAsync();
        throw new InvalidOperationException($"{server.Kind} did not answer on port {port}.");
    }

    /// <summary>A configuration string of a Redis that never answers (nothing listens on its port), failing fast.</summary>
    public static string Unreachable => $"127.0.0.1:{Loopback.FreePort()},connectTimeout=200";

    /// <summary>Stops the server at once, as a crash would: its connections are dropped and nothing listens any more.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _garnet?.Dispose();
        _garnet = null;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
