using ContactLists.Http.OAuth2;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace ContactLists;

/// <summary>Registers a health check per contact-list account.</summary>
public static class ContactListsHealthCheckExtensions
{
    /// <summary>
    /// Adds one health check per account registered with <c>AddContactLists</c> (whenever it was registered), named
    /// <c>contactlists:{client name}</c>. Each runs the cheapest authenticated read its provider documents — never a
    /// write: Whippy lists one list, SlickText reads its brand, Messengeo reads one list id; Movio, which documents no
    /// read, requests (or reuses) its OAuth2 token; Octopush documents neither, so its check says it was not probed.
    /// </summary>
    /// <param name="builder">The health-checks builder (<c>services.AddHealthChecks()</c>).</param>
    /// <param name="failureStatus">The status reported when a check fails; default <see cref="HealthStatus.Unhealthy"/>.</param>
    /// <param name="tags">Tags for every check, such as <c>ready</c>.</param>
    public static IHealthChecksBuilder AddContactListsHealthChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray() ?? [];
        builder.Services.AddOptions<HealthCheckServiceOptions>().Configure<IEnumerable<ContactListClientRegistration>>((options, registrations) =>
        {
            foreach (var registration in registrations)
            {
                var name = "contactlists:" + registration.Name;
                if (options.Registrations.All(r => r.Name != name))
                {
                    options.Registrations.Add(new HealthCheckRegistration(name, sp => new ContactListHealthCheck(sp, registration), failureStatus, tagList));
                }
            }
        });
        return builder;
    }
}

/// <summary>The health check of one account: an authenticated read, a token request, or (Octopush) not probed.</summary>
internal sealed class ContactListHealthCheck(IServiceProvider services, ContactListClientRegistration registration) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>
        {
            ["provider"] = registration.ProviderName,
            ["account"] = registration.Name,
        };
        var clock = services.GetService<TimeProvider>() ?? TimeProvider.System;
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
            return new HealthCheckResult(context.Registration.FailureStatus, $"{registration.ProviderName} account '{registration.Name}' is misconfigured: {string.Join(" ", ex.Failures)}", null, data);
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
            return new HealthCheckResult(context.Registration.FailureStatus, $"{registration.ProviderName} account '{registration.Name}': {ex.Message}", null, data);
        }
        catch (HttpRequestException ex)
        {
            data["probed"] = true;
            return new HealthCheckResult(context.Registration.FailureStatus, $"{registration.ProviderName} account '{registration.Name}' could not be reached ({ex.HttpRequestError}).", null, data);
        }
    }
}
