using ContactLists.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace ContactLists;

/// <summary>Keeps the sync ledger in a SQLite file.</summary>
public static class SqliteSyncLedgerExtensions
{
    /// <summary>
    /// Keeps what syncs sent (per list) in the SQLite file at <paramref name="path"/>, instead of the process's memory,
    /// so that a job started per run syncs by difference and resumes where it stopped. Resolve it as
    /// <see cref="ISyncLedger"/> and give it to <see cref="ContactListSync"/>.
    /// </summary>
    /// <param name="builder">The ContactLists builder.</param>
    /// <param name="path">The file (created, readable by its owner only, on first use).</param>
    public static ContactListsBuilder UseSqliteSyncLedger(this ContactListsBuilder builder, string path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var ledger = new SqliteSyncLedger(path);
        builder.Services.AddSingleton<ISyncLedger>(ledger);
        return builder;
    }
}
