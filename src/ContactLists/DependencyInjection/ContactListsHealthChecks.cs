using System.Text.Json;
using ContactLists.Http.OAuth2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ContactLists.Adapters;

namespace ContactLists;

/// <summary>Registers a health check per contact-list account, and writes a health report as JSON.</summary>
public static class ContactListsHealthCheckExtensions
{
    /// <summary>How long an account's result is reused by default: 30 seconds (see <c>resultLifetime</c>).</summary>
    public static readonly TimeSpan DefaultResultLifetime = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds one health check per account registered with <c>AddContactLists</c> (whenever it was registered), named
    /// <c>contactlists:{client name}</c>. Each runs the cheapest authenticated read its provider documents — never a
    /// write: Whippy lists one list, SlickText reads its brand, Messengeo reads one list id; Movio, which documents no
    /// read, requests (or reuses) its OAuth2 token; Octopush documents neither, so its check says it was not probed.
    /// </summary>
    /// <param name="builder">The health-checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="failureStatus">The status reported when a check fails; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for every check, such as <c>ready</c>.</param>
    /// <param name="resultLifetime">
    /// How long an account's result is reused before the account is probed again, so that a probe polled every few
    /// seconds does not spend the account's rate budget: default <see cref="DefaultResultLifetime"/> (30 s);
    /// <see cref="TimeSpan.Zero"/> probes on every poll. Polls that arrive while a probe runs share it.
    /// </param>
    public static IHealthChecksBuilder AddContactListsHealthChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? resultLifetime = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (resultLifetime < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(resultLifetime), resultLifetime, "The result lifetime cannot be negative.");
        }

        var tagList = tags?.ToArray() ?? [];
        var lifetime = resultLifetime ?? DefaultResultLifetime;
        builder.Services.AddSingleton<ContactListHealthResults>();
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IEnumerable<ContactListClientRegistration>>((options, registrations) =>
        {
            foreach (var registration in registrations)
            {
                var name = "contactlists:" + registration.Name;
                if (options.Registrations.All(r => r.Name != name))
                {
                    options.Registrations.Add(new HealthCheckRegistration(name, sp => new ContactListHealthCheck(sp, registration, lifetime), failureStatus, tagList));
                }
            }
        });
        return builder;
    }

    /// <summary>
    /// Writes <paramref name="report"/> as JSON: the overall status and, per check, its status, description, duration
    /// and data (for the SDK's checks: provider, account, probed, and where known the status and request id). For
    /// ASP.NET Core's <c>HealthCheckOptions.ResponseWriter</c>, whose default writes only the overall status; see
    /// docs/observability.md. Nothing it writes holds a secret (the checks' descriptions are the SDK's messages; an
    /// exception is written by its type only).
    /// </summary>
    /// <param name="output">Where to write (such as <c>HttpResponse.Body</c>).</param>
    /// <param name="report">The report.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteJsonAsync(Stream output, HealthReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(report);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("status", report.Status.ToString());
        json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds));
        json.WriteStartObject("entries");
        foreach (var (name, entry) in report.Entries)
        {
            json.WriteStartObject(name);
            json.WriteString("status", entry.Status.ToString());
            json.WriteString("description", entry.Description);
            json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds));
            if (entry.Exception is { } exception)
            {
                json.WriteString("error", exception.GetType().Name);
            }

            if (entry.Tags.Any())
            {
                json.WriteStartArray("tags");
                foreach (var tag in entry.Tags)
                {
                    json.WriteStringValue(tag);
                }

                json.WriteEndArray();
            }

            json.WriteStartObject("data");
            foreach (var (key, value) in entry.Data)
            {
                switch (value)
                {
                    case bool flag:
                        json.WriteBoolean(key, flag);
                        break;
                    case int or long or double or float or decimal:
                        json.WriteNumber(key, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                    default:
                        json.WriteString(key, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture));
                        break;
                }
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Each account's last health result and when it was taken, shared by every run of the checks (a check instance is
/// made per run): a result younger than its lifetime is reused, and concurrent polls share one probe.
/// </summary>
internal sealed class ContactListHealthResults
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (Task<HealthCheckResult> Probe, long Started)> _results = new(StringComparer.Ordinal);

    public Task<HealthCheckResult> GetOrProbeAsync(string account, TimeSpan lifetime, TimeProvider clock, Func<Task<HealthCheckResult>> probe)
    {
        lock (_gate)
        {
            var now = clock.GetTimestamp();
            if (_results.TryGetValue(account, out var last) && (!last.Probe.IsCompleted || clock.GetElapsedTime(last.Started, now) < lifetime))
            {
                return last.Probe;
            }

            // The probe is asynchronous: starting it here only runs it to its first request.
            var fresh = probe();
            _results[account] = (fresh, now);
            return fresh;
        }
    }
}

/// <summary>The health check of one account: an authenticated read, a token request, or (Octopush) not probed.</summary>
internal sealed class ContactListHealthCheck(IServiceProvider services, ContactListClientRegistration registration, TimeSpan resultLifetime) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
        if (resultLifetime <= TimeSpan.Zero)
        {
            return await ProbeAsync(context.Registration.FailureStatus, clock, cancellationToken).ConfigureAwait(false);
        }

        // A shared probe is not cancelled by one poll's token: it finishes for the others (bounded by the client's timeouts).
        var result = await services.GetRequiredService<ContactListHealthResults>()
            .GetOrProbeAsync(registration.Name, resultLifetime, clock, () => ProbeAsync(context.Registration.FailureStatus, clock, CancellationToken.None))
            .WaitAsync(cancellationToken)
            .ConfigureAwait(false);
        return result;
    }

    private async Task<HealthCheckResult> ProbeAsync(HealthStatus failureStatus, TimeProvider clock, CancellationToken cancellationToken)
    {
        var data = new Dictionary<string, object>
        {
            ["provider"] = registration.ProviderName,
            ["account"] = registration.Name,
            ["checkedAt"] = clock.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
        };
        var started = clock.GetTimestamp();
        try
        {
            var client = services.GetRequiredKeyedService<IContactListClient>(registration.Name);
            var probed = client is ContactListClientBase adapter && await adapter.ProbeAsync(cancellationToken).ConfigureAwait(false);
            var how = "an authenticated read";
            if (!probed && services.GetKeyedService<OAuth2TokenSource>(registration.Name) is { } tokens)
            {
                await tokens.GetTokenAsync(cancellationToken).ConfigureAwait(false);
                probed = true;
                how = "its OAuth2 token (requested, or still valid)";
            }

            data["probed"] = probed;
            if (!probed)
            {
                return HealthCheckResult.Healthy(
                    $"{registration.ProviderName} account '{registration.Name}' was not probed: {registration.ProviderName} documents no read that could prove the credentials, and a health check never writes.", data);
            }

            data["durationMs"] = Math.Round(clock.GetElapsedTime(started).TotalMilliseconds);
            return HealthCheckResult.Healthy($"{registration.ProviderName} account '{registration.Name}' answered with {how}.", data);
        }
        catch (OptionsValidationException ex)
        {
            return new HealthCheckResult(failureStatus, $"{registration.ProviderName} account '{registration.Name}' is misconfigured: {string.Join(" ", ex.Failures)}", null, data);
        }
        catch (ContactListException ex)
        {
            data["probed"] = true;
            if (ex.StatusCode is { } status)
            {
                data["status"] = (int)status;
            }

            if (ex.RequestId is { } requestId)
            {
                data["requestId"] = requestId;
            }

            // Our exceptions' messages never hold a secret; the exception itself is left out (its body may quote the provider at length).
            return new HealthCheckResult(failureStatus, $"{registration.ProviderName} account '{registration.Name}': {ex.Message}", null, data);
        }
        catch (HttpRequestException ex)
        {
            data["probed"] = true;
            return new HealthCheckResult(failureStatus, $"{registration.ProviderName} account '{registration.Name}' could not be reached ({ex.HttpRequestError}).", null, data);
        }
    }
}
