using System.Globalization;

namespace ContactLists;

/// <summary>The guards a plan must pass before anything is sent: too many rows left out, an empty source, too many removals.</summary>
internal static class SyncGuards
{
    /// <summary>The refusal of <paramref name="plan"/>, or <see langword="null"/> when it may be applied.</summary>
    /// <param name="plan">The plan.</param>
    /// <param name="options">The limits.</param>
    /// <param name="members">The list's members as read, counted, or known to the ledger; <see langword="null"/> when unknown.</param>
    /// <param name="valid">Valid, distinct source contacts.</param>
    public static SyncRefusal? Check(SyncPlan plan, SyncOptions options, long? members, long valid)
    {
        var leftOut = plan.Invalid.Count;
        if (plan.SourceCount > 0 && leftOut > options.MaxLeftOut.Allowed(plan.SourceCount))
        {
            var share = (double)leftOut / plan.SourceCount;
            var top = plan.InvalidReasons.OrderByDescending(r => r.Value).First();
            var needed = SyncLimit.Percent(Math.Ceiling(share * 100));
            return new SyncRefusal(
                SyncGuard.MaxLeftOut,
                string.Create(CultureInfo.InvariantCulture, $"{leftOut:N0} of the source's {plan.SourceCount:N0} rows ({share * 100:0}%) would be left out, most for '{top.Key}' ({top.Value:N0}), more than the {options.MaxLeftOut} allowed: a renamed column or a wrong region?"),
                Accept(nameof(SyncOptions.MaxLeftOut), needed),
                needed);
        }

        var removes = plan.Mode == SyncMode.Replace ? plan.ReplaceRemovesAtMost : plan.Removes;
        if (options.MaxRemovals.IsUnlimited)
        {
            return null;
        }

        if (valid == 0 && members is not 0 && removes is not 0)
        {
            return new SyncRefusal(
                SyncGuard.EmptySource,
                members is { } held
                    ? string.Create(CultureInfo.InvariantCulture, $"the source holds no valid contact, and the list has {held:N0} members: the sync would empty it.")
                    : "the source holds no valid contact: the sync would empty the list.",
                Accept(nameof(SyncOptions.MaxRemovals), SyncLimit.All),
                SyncLimit.All);
        }

        if (removes is null)
        {
            return new SyncRefusal(
                SyncGuard.UnknownRemovals,
                $"{plan.Provider} cannot say who is in list '{plan.ListId}' and the ledger does not know it, so replacing it removes everyone not in the source, however many that is.",
                "SyncOptions.MaxRemovals = SyncLimit.All (or Removal = SyncRemoval.None, to only add)",
                SyncLimit.All);
        }

        if (removes > options.MaxRemovals.Allowed(members))
        {
            var enough = members is > 0 and var whole ? SyncLimit.Percent(Math.Min(100, Math.Ceiling(removes.Value * 100.0 / whole))) : SyncLimit.Contacts(removes.Value);
            return new SyncRefusal(
                SyncGuard.MaxRemovals,
                members is { } held
                    ? string.Create(CultureInfo.InvariantCulture, $"the sync would remove {removes:N0} of the list's {held:N0} members ({removes * 100.0 / Math.Max(1, held):0}%), more than the {options.MaxRemovals} allowed: a cut-short export?")
                    : string.Create(CultureInfo.InvariantCulture, $"the sync would remove {removes:N0} members, more than the {options.MaxRemovals} allowed."),
                Accept(nameof(SyncOptions.MaxRemovals), enough),
                enough);
        }

        return null;
    }

    private static string Accept(string setting, SyncLimit needed) => needed.IsUnlimited
        ? $"SyncOptions.{setting} = SyncLimit.All"
        : $"SyncOptions.{setting} = SyncLimit.Parse(\"{needed}\")";
}
