using System.Diagnostics;
using System.Net;

namespace ContactLists.Tests.Emulator;

/// <summary>The emulator as a program (the <c>contactlists-emulator</c> dotnet tool), run as a separate process.</summary>
public sealed class EmulatorToolTests
{
    [Theory]
    [InlineData("TERM", "SIGTERM")]
    [InlineData("INT", "SIGINT")]
    public async Task It_serves_on_the_given_port_and_stops_cleanly_on_a_signal(string signal, string expected)
    {
        var port = Loopback.FreePort();
        using var tool = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-rate-limits");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tool.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("listening on", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }
        };
        tool.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/whippy/v1/contacts/lists");
        request.Headers.Add("X-WHIPPY-KEY", "emulator-whippy-key");
        using var response = await http.SendAsync(request);
        response.StatusCode.Should().Be(HttpStatusCode.OK);

        using (var kill = Process.Start("kill", ["-" + signal, tool.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var exited = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await tool.WaitForExitAsync(exited.Token);
        tool.ExitCode.Should().Be(0);
        output.Should().Contain(expected + ": stopping.").And.Contain("Stopped.");
    }

    [Fact]
    public async Task A_bad_argument_is_refused_with_the_usage()
    {
        using var tool = Start("--port", "eighty");
        var error = await tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();

        tool.ExitCode.Should().Be(2);
        error.Should().Contain("--port needs a number").And.Contain("usage: contactlists-emulator");
    }

    /// <summary>--verbose prints each request answered; --seed-contacts fills each account; --faults and --seed are taken.</summary>
    [Fact]
    public async Task Verbose_prints_each_request_and_seed_contacts_fills_each_account()
    {
        var port = Loopback.FreePort();
        using var tool = Start("--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--no-rate-limits", "--seed-contacts", "25", "--faults", "0", "--seed", "7", "--verbose", "--movio-list", "Spring");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var logged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        tool.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);
            if (e.Data.Contains("Press Ctrl+C", StringComparison.Ordinal))
            {
                listening.TrySetResult();
            }

            if (e.Data.Contains("/brands/1234500001/contacts", StringComparison.Ordinal))
            {
                logged.TrySetResult();
            }
        };
        tool.BeginOutputReadLine();
        await listening.Task.WaitAsync(TimeSpan.FromSeconds(60));

        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/slicktext/v1/brands/1234500001/contacts?limit=100");
        request.Headers.Add("Authorization", "Bearer emulator-slicktext-key");
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        await logged.Task.WaitAsync(TimeSpan.FromSeconds(30));
        tool.Kill();

        System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("data").GetArrayLength().Should().Be(25, "the brand holds the seeded contacts");
        output.Should().Contain(l => l.Contains("seeded: SlickText: 25 contacts", StringComparison.Ordinal))
            .And.Contain(l => l.Contains("seeded: Movio: 25 contacts in list 'seeded'", StringComparison.Ordinal))
            .And.Contain(l => l.Contains("Movio list 'Spring' id=", StringComparison.Ordinal))
            .And.Contain(l => l.Contains("SlickText GET    /v1/brands/1234500001/contacts 200", StringComparison.Ordinal), "--verbose prints each request: provider, method, path, status");
    }

    [Theory]
    [InlineData("--faults", "1.5", "--faults needs a share of requests from 0 to 1")]
    [InlineData("--seed-contacts", "many", "--seed-contacts needs a number")]
    [InlineData("--seed", "x", "--seed needs a whole number")]
    public async Task A_bad_option_value_is_refused_with_the_usage(string option, string value, string message)
    {
        using var tool = Start(option, value);
        var error = await tool.StandardError.ReadToEndAsync();
        await tool.WaitForExitAsync();

        tool.ExitCode.Should().Be(2);
        error.Should().Contain(message).And.Contain("--verbose");
    }

    private static Process Start(params string[] arguments)
    {
        // The tool's build output, next to the tests' (same configuration).
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(Repository.Root, "src", "ContactLists.Emulator.Tool", "bin", configuration, "net10.0", "ContactLists.Emulator.Tool.dll");
        File.Exists(dll).Should().BeTrue($"the tool is built with the tests ({dll})");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }
}
