using Microsoft.Extensions.Options;
using Polly.Telemetry;

namespace ContactLists.Http;

/// <summary>
/// Polly logs every execution attempt, successful ones included, at Information ("Execution attempt ... Result: '201'"),
/// so a Host's default logging shows one line per request. For the SDK's pipelines only, a routine attempt (one that
/// did not fail) is logged at Debug; retried failures keep their severity, and every other pipeline of the application is
/// left as it was configured.
/// </summary>
internal sealed class QuietRoutineAttempts : IConfigureOptions<TelemetryOptions>
{
    private const string PipelinePrefix = "ContactLists.";

    public void Configure(TelemetryOptions options)
    {
        var previous = options.SeverityProvider;
        options.SeverityProvider = args =>
            args.Event.EventName == "ExecutionAttempt"
            && args.Event.Severity == ResilienceEventSeverity.Information
            && args.Source.PipelineName?.StartsWith(PipelinePrefix, StringComparison.Ordinal) == true
                ? ResilienceEventSeverity.Debug
                : previous?.Invoke(args) ?? args.Event.Severity;
    }
}
