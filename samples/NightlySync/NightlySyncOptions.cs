using ContactLists;
using Cronos;
using Microsoft.Extensions.Options;

namespace NightlySync;

/// <summary>The job's settings: the <c>NightlySync</c> section of configuration (appsettings.json, environment variables).</summary>
public sealed class NightlySyncOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "NightlySync";

    /// <summary>When to run: a cron expression of five fields (minute hour day month weekday), read by Cronos. Default 02:00 every day.</summary>
    public string Schedule { get; set; } = "0 2 * * *";

    /// <summary>The time zone of <see cref="Schedule"/>: an IANA or Windows id. Default UTC.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>The account to sync into: its name under <c>ContactLists:{Provider}:{name}</c>.</summary>
    public string Account { get; set; } = "crm";

    /// <summary>The list to keep equal to the source (<c>contactlists lists --account NAME</c> shows the ids; Octopush lists are their names).</summary>
    public string? ListId { get; set; }

    /// <summary>The CSV export the sample reads (replace <see cref="ICustomerSource"/> with your database query).</summary>
    public string Source { get; set; } = "customers.csv";

    /// <summary>The country of national numbers in the source (<c>GB</c>: 07911 123456 is +447911123456).</summary>
    public string? Region { get; set; }

    /// <summary>The sync ledger's file, when no Redis is configured (<c>ContactLists:Ledger:Redis</c>). Keep it on a volume that outlives the process.</summary>
    public string LedgerPath { get; set; } = "data/ledger.db";

    /// <summary>Which members not in the source leave the list: Mirror (all), Added (those a sync added), None.</summary>
    public SyncRemoval Removal { get; set; } = SyncRemoval.Mirror;

    /// <summary>The removal guard: a count (<c>500</c>), a share (<c>10%</c>) or <c>all</c>. Default 10%.</summary>
    public string MaxRemovals { get; set; } = "10%";

    /// <summary>Plans a full pass when the last one is older than this (lists that cannot be read: Movio, Octopush). None by default.</summary>
    public TimeSpan? FullPassAfter { get; set; }

    /// <summary>How old the last sync that ran to its end may be before the health check fails. Default 26 hours.</summary>
    public TimeSpan HealthyAge { get; set; } = TimeSpan.FromHours(26);

    /// <summary>
    /// After a stop (SIGTERM), how long the batches already sent may take to be answered before they are abandoned;
    /// keep it under the host's shutdown timeout (30 s by default). Default 20 s.
    /// </summary>
    public TimeSpan StopGrace { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Checks the settings at start-up, naming each one that is wrong, before anything is scheduled.</summary>
internal sealed class NightlySyncOptionsValidator(IContactListClientFactory clients) : IValidateOptions<NightlySyncOptions>
{
    public ValidateOptionsResult Validate(string? name, NightlySyncOptions options)
    {
        var problems = new List<string>();
        if (!CronExpression.TryParse(options.Schedule, out _))
        {
            problems.Add($"{NightlySyncOptions.Section}:Schedule '{options.Schedule}' is not a cron expression of five fields (such as '0 2 * * *').");
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            problems.Add($"{NightlySyncOptions.Section}:TimeZone '{options.TimeZone}' is not a time zone this machine knows.");
        }

        if (string.IsNullOrWhiteSpace(options.ListId))
        {
            problems.Add($"{NightlySyncOptions.Section}:ListId is required (contactlists lists --account {options.Account} shows the ids).");
        }

        if (!clients.ClientNames.Contains(options.Account, StringComparer.Ordinal))
        {
            problems.Add($"{NightlySyncOptions.Section}:Account '{options.Account}' is not an account under ContactLists (known: {string.Join(", ", clients.ClientNames)}).");
        }

        if (!SyncLimit.TryParse(options.MaxRemovals, out _))
        {
            problems.Add($"{NightlySyncOptions.Section}:MaxRemovals '{options.MaxRemovals}' is not a count, a share such as 10%, or all.");
        }

        if (string.IsNullOrWhiteSpace(options.Source))
        {
            problems.Add($"{NightlySyncOptions.Section}:Source is required.");
        }

        if (options.HealthyAge <= TimeSpan.Zero || options.StopGrace < TimeSpan.Zero || options.FullPassAfter <= TimeSpan.Zero)
        {
            problems.Add($"{NightlySyncOptions.Section}:HealthyAge and FullPassAfter must be positive, StopGrace not negative.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
