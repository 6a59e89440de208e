using System.Globalization;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace ContactLists.Cli;

/// <summary>
/// What a person (or a log) sees of a sync: the plan, a live progress bar that moves with every answered batch (its
/// rate, the time left as the library estimates it, and the time the rate limits held the client back) or, when the
/// output is redirected, plain lines (one at least every 10 seconds), then the summary; and, with <c>--json</c>, one
/// JSON object on stdout.
/// </summary>
internal sealed class SyncView(CliEnvironment environment)
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private IAnsiConsole Console => environment.Console;

    /// <summary>Prints the plan, as a report.</summary>
    public void Plan(SyncPlan plan)
    {
        var lines = plan.ToString().Split('\n');
        Console.MarkupLineInterpolated($"[bold]{lines[0]}[/]");
        foreach (var line in lines.Skip(1))
        {
            Console.WriteLine(line.TrimEnd('\r'));
        }
    }

    /// <summary>Runs <paramref name="sync"/> showing its progress; returns its result.</summary>
    public async Task<SyncResult> RunAsync(SyncPlan plan, Func<Action<SyncProgress>, Task<SyncResult>> sync)
    {
        if (environment.Interactive)
        {
            SyncResult result = null!;
            await Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
                .StartAsync(async context =>
                {
                    var task = context.AddTask(Describe(plan, null), maxValue: Math.Max(1, plan.ToSend));
                    result = await sync(progress =>
                    {
                        task.Value = Math.Min(task.MaxValue, progress.Answered);
                        task.Description = Describe(plan, progress);
                    }).ConfigureAwait(false);
                    task.Value = task.MaxValue;
                }).ConfigureAwait(false);
            return result;
        }

        // Redirected: plain lines, on progress (at most one every 2 s) and at least one every 10 s while waiting.
        var last = environment.Time.GetTimestamp();
        SyncProgress? latest = null;
        var gate = new object();
        using var stop = new CancellationTokenSource();
        var heartbeat = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Heartbeat, environment.Time, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lock (gate)
                {
                    if (environment.Time.GetElapsedTime(last) >= Heartbeat)
                    {
                        Console.WriteLine(Line(plan, latest) + " (still working)");
                        last = environment.Time.GetTimestamp();
                    }
                }
            }
        });
        try
        {
            return await sync(progress =>
            {
                lock (gate)
                {
                    var changed = latest?.Stage != progress.Stage;
                    latest = progress;
                    if (changed || environment.Time.GetElapsedTime(last) >= TimeSpan.FromSeconds(2))
                    {
                        Console.WriteLine(Line(plan, progress));
                        last = environment.Time.GetTimestamp();
                    }
                }
            }).ConfigureAwait(false);
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }
    }

    /// <summary>A plain progress line: <c>[09:12:30] adding 1,200 of 2,000 (60%) · 4.1 contacts/s · about 3 min left · waited 40 s for the rate limit</c>.</summary>
    private string Line(SyncPlan plan, SyncProgress? progress)
        => $"[{environment.Time.GetLocalNow():HH:mm:ss}] " + Describe(plan, progress);

    private static string Describe(SyncPlan plan, SyncProgress? progress)
    {
        var text = new StringBuilder();
        var stage = progress?.Stage switch
        {
            null or SyncStage.Planned => "starting",
            SyncStage.Adding => "adding",
            SyncStage.Updating => "updating",
            SyncStage.Removing => "removing",
            SyncStage.Replacing => "replacing",
            _ => "done",
        };
        text.Append(CultureInfo.InvariantCulture, $"{plan.Provider} {stage} {progress?.Answered ?? 0:N0} of {plan.ToSend:N0} ({(progress?.Fraction ?? 0) * 100:0}%)");
        if (progress is { Elapsed.TotalSeconds: > 1, Answered: > 0 })
        {
            text.Append(CultureInfo.InvariantCulture, $" · {progress.Answered / progress.Elapsed.TotalSeconds:0.0} contacts/s");
        }

        if ((progress is null ? plan.Estimate.Duration : progress.EstimatedRemaining) is { } left && progress?.Stage != SyncStage.Done)
        {
            text.Append(" · about ").Append(SyncEstimate.Format(left)).Append(" left");
        }

        if (progress?.PacingWaited > TimeSpan.FromSeconds(1))
        {
            text.Append(" · held back ").Append(SyncEstimate.Format(progress.PacingWaited)).Append(" by the rate limit");
        }

        return text.ToString();
    }

    /// <summary>Prints the summary: what was added and removed, what stayed, what was left out and why.</summary>
    public void Summary(SyncResult result, int exitCode, string? rejectsPath)
    {
        var table = new Table().Title("Summary").AddColumn("").AddColumn(new TableColumn("contacts").RightAligned());
        table.AddRow("added" + (result.AppliedLater ? " (accepted for processing)" : string.Empty), N(result.AddedCount));
        table.AddRow("updated", N(result.UpdatedCount));
        if (result.Plan.Mode == SyncMode.Difference)
        {
            table.AddRow("removed", N(result.RemovedCount));
            table.AddRow("unchanged", N(result.Plan.Unchanged));
        }

        if (result.Plan.Kept > 0)
        {
            table.AddRow("kept (not added by a sync)", N(result.Plan.Kept));
        }

        if (result.Plan.OptedOut > 0)
        {
            table.AddRow($"opted out on {Markup.Escape(result.Plan.Provider)} (they stay opted out)", N(result.Plan.OptedOut));
        }

        table.AddRow("duplicates in the file (synced once)", N(result.Plan.Duplicates));
        var reasons = result.LeftOutReasons;
        table.AddRow(reasons.Count == 0 ? "left out" : "[yellow]left out[/]", N(reasons.Values.Sum()));
        foreach (var (reason, count) in reasons.OrderByDescending(r => r.Value))
        {
            table.AddRow("  " + Markup.Escape(reason), N(count));
        }

        foreach (var (field, count) in result.FieldsLeftOut.OrderByDescending(f => f.Value))
        {
            table.AddRow("field left out: " + Markup.Escape(field), N(count));
        }

        Console.Write(table);
        if (rejectsPath is not null && reasons.Count > 0)
        {
            Console.MarkupLineInterpolated($"Rows left out, with their reasons: {rejectsPath}");
        }

        // The last line says how it ended, in words (redirected output has no bar to look at).
        Console.WriteLine(exitCode switch
        {
            ExitCodes.Synced => "Done: every row is synced.",
            ExitCodes.LeftOut => $"Done, with {reasons.Values.Sum():N0} rows left out (exit code 1).",
            _ => "Stopped part-way (exit code 3).",
        });
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>The one JSON object <c>--json</c> prints on stdout at the end.</summary>
    // Read by people and scripts, never embedded in HTML: an apostrophe or a '+' is written as itself.
    private static readonly JsonWriterOptions Readable = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The one JSON object of a run that failed before its plan was applied: <c>{"exitCode":3,"error":"…"}</c>.</summary>
    public static string FailureJson(int exitCode, string error)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Readable))
        {
            json.WriteStartObject();
            json.WriteNumber("exitCode", exitCode);
            json.WriteString("error", error);
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static string Json(RunSummary summary)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Readable))
        {
            json.WriteStartObject();
            json.WriteString("listId", summary.ListId);
            json.WriteNumber("read", summary.Read);
            json.WriteNumber("added", summary.Added);
            json.WriteNumber("updated", summary.Updated);
            json.WriteNumber("removed", summary.Removed);
            json.WriteNumber("unchanged", summary.Unchanged);
            json.WriteNumber("kept", summary.Kept);
            json.WriteNumber("duplicates", summary.Duplicates);
            json.WriteNumber("leftOut", summary.LeftOutReasons.Values.Sum());
            json.WriteStartObject("leftOutReasons");
            foreach (var (reason, count) in summary.LeftOutReasons)
            {
                json.WriteNumber(reason, count);
            }

            json.WriteEndObject();
            json.WriteStartObject("fieldsLeftOut");
            foreach (var (field, count) in summary.FieldsLeftOut)
            {
                json.WriteNumber(field, count);
            }

            json.WriteEndObject();
            json.WriteNumber("optedOut", summary.OptedOut);
            json.WriteBoolean("resumed", summary.Resumed);
            if (summary.Refused is var (guard, why, option))
            {
                json.WriteStartObject("refused");
                json.WriteString("guard", guard);
                json.WriteString("reason", why);
                json.WriteString("option", option);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("refused");
            }

            json.WriteNumber("exitCode", summary.ExitCode);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>What <c>--json</c> reports of a run.</summary>
internal sealed record RunSummary(
    string? ListId,
    long Read,
    long Added,
    long Updated,
    long Removed,
    long Unchanged,
    long Kept,
    long Duplicates,
    IReadOnlyDictionary<string, long> LeftOutReasons,
    IReadOnlyDictionary<string, long> FieldsLeftOut,
    long OptedOut,
    bool Resumed,
    int ExitCode)
{
    /// <summary>The guard that refused the run, why, and the option that accepts it.</summary>
    public (string Guard, string Reason, string Option)? Refused { get; init; }

    /// <summary>A run (finished, planned, stopped or refused).</summary>
    public static RunSummary Of(SyncResult result, int exitCode) => new(
        result.Plan.ListId, result.Plan.SourceCount, result.AddedCount, result.UpdatedCount, result.RemovedCount, result.Plan.Unchanged, result.Plan.Kept,
        result.Plan.Duplicates, result.LeftOutReasons, result.FieldsLeftOut, result.Plan.OptedOut, result.Plan.ResumesRunStartedAt is not null, exitCode);
}
