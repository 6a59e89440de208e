using System.ComponentModel;
using Spectre.Console;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options every command that runs a sync has (<c>sync</c>, <c>plan</c>, <c>copy</c>): the ledger, the guards, what may be removed.</summary>
internal class SyncJobSettings : AccountSettings
{
    [CommandOption("-n|--dry-run")]
    [Description("Print the plan and change nothing (the same as the plan command).")]
    public bool DryRun { get; init; }

    [CommandOption("--json")]
    [Description("Print one JSON object on stdout at the end (listId, read, added, updated, removed, unchanged, kept, duplicates, leftOut, leftOutReasons, fieldsLeftOut, optedOut, resumed, refused, exitCode); everything else goes to stderr.")]
    public bool Json { get; init; }

    [CommandOption("--ledger <PATH>")]
    [Description("The sync ledger's file: what each sync sent, per list, so that the next run sends only changes and an interrupted run resumes. Default: ledger.db in the user's data folder; on Redis when ContactLists:Ledger:Redis is configured. Holds phones and e-mails: readable by its owner only.")]
    public string? Ledger { get; init; }

    [CommandOption("--full")]
    [Description("A full pass: send (or, where the list can be read, compare) every member again, whatever the ledger says, to repair what drifted where it cannot be seen. Where the list's members cannot be read, it is replaced (with --remove mirror).")]
    public bool Full { get; init; }

    [CommandOption("--remove <WHICH>")]
    [Description("Which members not in the source leave: mirror (all of them: the list mirrors the source; the default), added (only those a sync added; members added in the provider's app or by another tool stay), none (nothing is removed).")]
    public string Remove { get; init; } = "mirror";

    [CommandOption("--max-removals <LIMIT>")]
    [Description("The most members one run may remove: a number (500), a share of the list (10%, the default; never fewer than 10) or all. More is refused before anything is sent (exit code 4), as is a source with no valid row while the list has members.")]
    public string MaxRemovals { get; init; } = SyncLimit.DefaultMaxRemovals.ToString();

    [CommandOption("--max-left-out <LIMIT>")]
    [Description("The largest share of the source's rows that may be left out as invalid (50% by default, or all): more is refused before anything is sent (exit code 4). A renamed column or a wrong --region shows up here.")]
    public string MaxLeftOut { get; init; } = SyncLimit.DefaultMaxLeftOut.ToString();

    [CommandOption("--strict-fields")]
    [Description("Leave a whole contact out when any of its fields is invalid (a bad e-mail beside a valid phone). By default only the invalid field is left out (counted in fieldsLeftOut) and the contact is synced without it.")]
    public bool StrictFields { get; init; }

    /// <summary>What <c>--strict-fields</c> says about a bad field beside a valid identity.</summary>
    public InvalidFieldHandling InvalidFields => StrictFields ? InvalidFieldHandling.Reject : InvalidFieldHandling.LeaveOut;

    public override ValidationResult Validate()
    {
        if (Removal is null)
        {
            return ValidationResult.Error($"--remove takes mirror, added or none; '{Remove}' is none of those.");
        }

        if (!SyncLimit.TryParse(MaxRemovals, out _))
        {
            return ValidationResult.Error($"--max-removals takes a number (500), a percentage (10%) or all; '{MaxRemovals}' is none of those.");
        }

        return !SyncLimit.TryParse(MaxLeftOut, out _)
            ? ValidationResult.Error($"--max-left-out takes a percentage (50%), a number or all; '{MaxLeftOut}' is none of those.")
            : ValidationResult.Success();
    }

    /// <summary>What <c>--remove</c> says, or <see langword="null"/> when it says nothing known.</summary>
    public SyncRemoval? Removal => Remove.ToLowerInvariant() switch
    {
        "mirror" => SyncRemoval.Mirror,
        "added" => SyncRemoval.Added,
        "none" => SyncRemoval.None,
        _ => null,
    };

    /// <summary>The sync's options for these settings.</summary>
    public SyncOptions Options(BulkOptions bulk) => new()
    {
        Bulk = bulk,
        Full = Full,
        Removal = Removal ?? SyncRemoval.Mirror,
        MaxRemovals = SyncLimit.Parse(MaxRemovals),
        MaxLeftOut = SyncLimit.Parse(MaxLeftOut),
    };
}
