using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace ContactLists;

/// <summary>
/// The names under which ContactLists reports traces and metrics, for OpenTelemetry
/// (<c>.AddSource(ContactListsTelemetry.ActivitySourceName)</c>, <c>.AddMeter(ContactListsTelemetry.MeterName)</c>).
/// See docs/observability.md for every span, instrument and tag.
/// </summary>
public static class ContactListsTelemetry
{
    /// <summary>The <see cref="ActivitySource"/> name: a span per neutral operation and per batch.</summary>
    public const string ActivitySourceName = "ContactLists";

    /// <summary>The <see cref="Meter"/> name: requests, retries, pacing waits, contacts and durations.</summary>
    public const string MeterName = "ContactLists";

    private static readonly string? Version = typeof(ContactListsTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(ActivitySourceName, Version);

    internal static readonly Meter Meter = new(MeterName, Version);

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>(
        "contactlists.requests", "{request}", "Requests sent to a provider, each attempt counted (tags: provider, account, method, status or error).");

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "contactlists.request.duration", "s", "Time from sending an attempt to its answer (read and checked).");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "contactlists.retries", "{retry}", "Attempts that repeated an earlier one after a transient failure.");

    internal static readonly Histogram<double> PacingWait = Meter.CreateHistogram<double>(
        "contactlists.pacing.wait", "s", "Time a request waited for the provider's rate limits on the client side.");

    internal static readonly Counter<long> ContactsSent = Meter.CreateCounter<long>(
        "contactlists.contacts.sent", "{contact}", "Contacts sent in bulk requests.");

    internal static readonly Counter<long> ContactsAccepted = Meter.CreateCounter<long>(
        "contactlists.contacts.accepted", "{contact}", "Contacts the provider's answer accepted (applied, or accepted for processing).");

    internal static readonly Counter<long> ContactsRejected = Meter.CreateCounter<long>(
        "contactlists.contacts.rejected", "{contact}", "Contacts rejected, by the SDK's checks before sending or by the provider's answer (tag contactlists.rejected_by).");

    internal static readonly Histogram<double> OperationDuration = Meter.CreateHistogram<double>(
        "contactlists.operation.duration", "s", "Duration of a neutral operation (tags: provider, account, operation, outcome).");

    internal const string ProviderTag = "contactlists.provider";
    internal const string AccountTag = "contactlists.account";
    internal const string OperationTag = "contactlists.operation";
    internal const string OutcomeTag = "contactlists.outcome";
    internal const string ListTag = "contactlists.list.id";
    internal const string BatchIndexTag = "contactlists.batch.index";
    internal const string BatchSizeTag = "contactlists.batch.size";
    internal const string BatchStatusTag = "contactlists.batch.status";
    internal const string AcceptedTag = "contactlists.contacts.accepted";
    internal const string RejectedTag = "contactlists.contacts.rejected";
    internal const string RejectedByTag = "contactlists.rejected_by";
    internal const string MethodTag = "http.request.method";
    internal const string StatusTag = "http.response.status_code";
    internal const string ErrorTypeTag = "error.type";

    /// <summary>The tags every measurement carries: the provider and the account (client name).</summary>
    internal static TagList AccountTags(string provider, string account) => new()
    {
        { ProviderTag, provider },
        { AccountTag, account },
    };

    /// <summary>The outcome of an operation that threw: cancelled, or error.</summary>
    internal static string FailureOutcome(Exception exception) => exception is OperationCanceledException ? "cancelled" : "error";

    /// <summary>Marks <paramref name="activity"/> as failed with the exception's type (never its message, which may quote a provider's body).</summary>
    internal static void SetFailure(Activity? activity, Exception exception)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag(ErrorTypeTag, exception.GetType().FullName);
        activity.SetTag(OutcomeTag, FailureOutcome(exception));
        activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
    }
}
