using ContactLists;
using ContactLists.Emulator;
using ContactLists.Redis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace NightlySync;

/// <summary>The Worker Service: configuration, the ContactLists account, the ledger, telemetry, the health check and the job.</summary>
public static class NightlySyncApp
{
    /// <summary>
    /// The host builder, ready to build and run. With no account configured under <c>ContactLists</c>, it starts the
    /// local emulator in this process and syncs into a Messengeo list of it (the ledger then lives in memory, as the
    /// emulator does).
    /// </summary>
    /// <param name="args">The command line (configuration overrides such as <c>--NightlySync:Schedule="*/5 * * * *"</c>).</param>
    public static async Task<HostApplicationBuilder> CreateBuilderAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        var configured = builder.Configuration.GetSection("ContactLists").GetChildren().Any(c => c.Key != "Ledger");
        if (!configured)
        {
            await UseEmulatorAsync(builder);
        }

        builder.Services.AddContactLists(builder.Configuration, contactLists =>
        {
            // Every account found in configuration, whatever its provider.
            contactLists.AddWhippy().AddMovio().AddOctopush().AddSlickText().AddMessengeo();

            // The ledger: what the syncs sent each list, so that each run sends only what changed and a stopped run
            // resumes. On Redis when configured (jobs that move between machines), else in a file on a volume.
            if (builder.Configuration["ContactLists:Ledger:Redis"] is { Length: > 0 } redis)
            {
                contactLists.UseRedisSyncLedger(redis);
            }
            else if (configured)
            {
                var path = builder.Configuration[$"{NightlySyncOptions.Section}:LedgerPath"] ?? new NightlySyncOptions().LedgerPath;
                contactLists.UseSqliteSyncLedger(Path.Combine(builder.Environment.ContentRootPath, path));
            }
        });

        builder.Services.AddOptions<NightlySyncOptions>().Bind(builder.Configuration.GetSection(NightlySyncOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<NightlySyncOptions>, NightlySyncOptionsValidator>();
        builder.Services.TryAddSingleton<ICustomerSource, CsvCustomerSource>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<NightlySyncRuns>();
        builder.Services.AddHostedService<NightlySyncWorker>();

        // A stopped run waits for the batches in flight (StopGrace, 20 s by default): give the host that long and more.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));

        // Unhealthy when the last sync that ran to its end is older than HealthyAge, or the last run was refused, part-way or failed.
        var job = builder.Configuration.GetSection(NightlySyncOptions.Section).Get<NightlySyncOptions>() ?? new NightlySyncOptions();
        if (!string.IsNullOrWhiteSpace(job.ListId))
        {
            builder.Services.AddHealthChecks().AddContactListSyncHealthCheck(job.Account, job.ListId, job.HealthyAge);
        }

        // Traces and metrics (contactlists.sync.contacts, contactlists.sync.duration, contactlists.sync.last_success…)
        // to an OpenTelemetry collector when OTEL_EXPORTER_OTLP_ENDPOINT is set, else to the console when asked.
        var telemetry = builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics.AddMeter(ContactListsTelemetry.MeterName))
            .WithTracing(tracing => tracing.AddSource(ContactListsTelemetry.ActivitySourceName));
        if (builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] is { Length: > 0 })
        {
            telemetry.UseOtlpExporter();
        }
        else if (builder.Configuration.GetValue<bool>($"{NightlySyncOptions.Section}:ConsoleTelemetry"))
        {
            telemetry.WithMetrics(metrics => metrics.AddConsoleExporter());
        }

        return builder;
    }

    /// <summary>The emulator in this process, with a Messengeo account named <c>crm</c> and a list to keep, in configuration as a real one would be.</summary>
    private static async Task UseEmulatorAsync(HostApplicationBuilder builder)
    {
        var emulator = await ContactListsEmulator.StartAsync();
        // Disposed with the host's services (a registration by factory is owned by the container).
        builder.Services.AddSingleton(_ => emulator);
        var account = new Dictionary<string, string?>
        {
            ["ContactLists:Messengeo:crm:BaseAddress"] = emulator.Messengeo.BaseAddress.ToString(),
            ["ContactLists:Messengeo:crm:TokenEndpoint"] = emulator.Messengeo.TokenEndpoint.ToString(),
            ["ContactLists:Messengeo:crm:ClientId"] = emulator.Messengeo.ClientId,
            ["ContactLists:Messengeo:crm:ClientSecret"] = emulator.Messengeo.ClientSecret,
        };

        // The list, made as you would make yours (once, not by the job).
        var setup = new ServiceCollection();
        setup.AddContactLists(new ConfigurationBuilder().AddInMemoryCollection(account).Build(), b => b.AddMessengeo());
        string listId;
        await using (var services = setup.BuildServiceProvider())
        {
            listId = (await services.GetRequiredService<IContactListClientFactory>().GetClient("crm").CreateListAsync(new NewContactList("Customers"))).Id;
        }

        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(account)
        {
            [$"{NightlySyncOptions.Section}:Account"] = "crm",
            [$"{NightlySyncOptions.Section}:ListId"] = listId,
            [$"{NightlySyncOptions.Section}:Region"] = builder.Configuration[$"{NightlySyncOptions.Section}:Region"] ?? "GB",
            // The sample export, copied next to the program.
            [$"{NightlySyncOptions.Section}:Source"] = builder.Configuration[$"{NightlySyncOptions.Section}:Source"] is { } source && source != new NightlySyncOptions().Source
                ? source
                : Path.Combine(AppContext.BaseDirectory, "customers.csv"),
        });
    }
}
