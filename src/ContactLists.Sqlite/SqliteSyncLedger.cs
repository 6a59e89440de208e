using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace ContactLists.Sqlite;

/// <summary>
/// A sync ledger in one SQLite file: what a job started per run (cron, a Kubernetes CronJob, a systemd timer) needs so
/// that its next run syncs by difference and resumes where it stopped. Each answered batch is one transaction (WAL,
/// synchronous=NORMAL): a million entries written a hundred at a time take a few seconds, and the cost of a batch does
/// not grow with the ledger. The file holds personal data (phones, e-mails): it is created readable and writable by its
/// owner only (and its folder, when the ledger creates it, by its owner only), and <see cref="ForgetAsync"/> deletes a
/// list's entries. Several processes may use one file (SQLite locks it); for instances on several machines, use the
/// Redis ledger (ContactLists.Redis).
/// </summary>
public sealed class SqliteSyncLedger : ISyncLedger
{
    private readonly string _connectionString;
    private readonly Lazy<Task> _created;

    /// <summary>A ledger in the file at <paramref name="path"/> (created, with its folder, on first use).</summary>
    /// <param name="path">The file, such as <c>/var/lib/contactlists/ledger.db</c>.</param>
    public SqliteSyncLedger(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // Another process writing the same file is waited for, not failed.
            DefaultTimeout = 30,
            Pooling = true,
        }.ToString();
        _created = new Lazy<Task>(CreateAsync);
    }

    /// <summary>The ledger's file.</summary>
    public string Path { get; }

    /// <inheritdoc/>
    public async ValueTask<SyncRunRecord?> GetRunAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT run FROM ledger_runs WHERE target = $target";
        command.Parameters.AddWithValue("$target", target.ToString());
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? SyncRunRecord.FromJson(json)
            : null;
    }

    /// <inheritdoc/>
    public async ValueTask SetRunAsync(SyncTarget target, SyncRunRecord run, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(run);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "INSERT OR REPLACE INTO ledger_runs (target, account_id, list_id, run) VALUES ($target, $account, $list, $run)";
        command.Parameters.AddWithValue("$target", target.ToString());
        command.Parameters.AddWithValue("$account", target.AccountId);
        command.Parameters.AddWithValue("$list", target.ListId);
        command.Parameters.AddWithValue("$run", run.ToJson());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SyncLedgerEntry> ReadAsync(SyncTarget target, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT identity, fingerprint, added, sent_at, sent_as FROM ledger_entries WHERE target = $target";
        command.Parameters.AddWithValue("$target", target.ToString());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new SyncLedgerEntry(reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2) != 0, DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)), reader.IsDBNull(4) ? null : reader.GetString(4));
        }
    }

    /// <inheritdoc/>
    public async ValueTask RecordAsync(SyncTarget target, SyncLedgerChanges changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(changes);
        if (changes.IsEmpty)
        {
            return;
        }

        var key = target.ToString();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (changes.Reset)
        {
            await using var reset = TargetCommand(transaction, "DELETE FROM ledger_entries WHERE target = $target", key);
            await reset.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (changes.Removals.Count > 0)
        {
            await using var delete = TargetCommand(transaction, "DELETE FROM ledger_entries WHERE target = $target AND identity = $identity", key);
            var identity = delete.Parameters.Add("$identity", SqliteType.Text);
            foreach (var removed in changes.Removals)
            {
                identity.Value = removed;
                await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        if (changes.Upserts.Count > 0)
        {
            await using var upsert = TargetCommand(transaction, "INSERT OR REPLACE INTO ledger_entries (target, identity, fingerprint, added, sent_at, sent_as) VALUES ($target, $identity, $fingerprint, $added, $sent, $as)", key);
            var identity = upsert.Parameters.Add("$identity", SqliteType.Text);
            var fingerprint = upsert.Parameters.Add("$fingerprint", SqliteType.Integer);
            var added = upsert.Parameters.Add("$added", SqliteType.Integer);
            var sent = upsert.Parameters.Add("$sent", SqliteType.Integer);
            var sentAs = upsert.Parameters.Add("$as", SqliteType.Text);
            foreach (var entry in changes.Upserts)
            {
                identity.Value = entry.Identity;
                fingerprint.Value = entry.Fingerprint;
                added.Value = entry.AddedBySync ? 1 : 0;
                sent.Value = entry.SentAt.ToUnixTimeMilliseconds();
                sentAs.Value = (object?)entry.SentAs ?? DBNull.Value;
                await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask ForgetAsync(SyncTarget target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM ledger_entries WHERE target = $target; DELETE FROM ledger_runs WHERE target = $target;";
        command.Parameters.AddWithValue("$target", target.ToString());
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<KeyValuePair<SyncTarget, SyncRunRecord>> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT account_id, list_id, run FROM ledger_runs ORDER BY target";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (SyncRunRecord.FromJson(reader.GetString(2)) is { } run)
            {
                yield return KeyValuePair.Create(new SyncTarget(reader.GetString(0), reader.GetString(1)), run);
            }
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await _created.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous = NORMAL;";
            await pragma.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates the folder and the file (owner only), then the tables, once.</summary>
    private async Task CreateAsync()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(folder);
            }
            else
            {
                Directory.CreateDirectory(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            }
        }

        if (!File.Exists(Path))
        {
            // Created before SQLite opens it, readable by its owner only; SQLite gives its -wal and -shm files the same mode.
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            try
            {
                await using var created = new FileStream(Path, options);
            }
            catch (IOException) when (File.Exists(Path))
            {
                // Another process created it first.
            }
        }

        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            PRAGMA journal_mode = WAL;
            CREATE TABLE IF NOT EXISTS ledger_entries (
                target TEXT NOT NULL,
                identity TEXT NOT NULL,
                fingerprint INTEGER NOT NULL,
                added INTEGER NOT NULL,
                sent_at INTEGER NOT NULL,
                sent_as TEXT,
                PRIMARY KEY (target, identity)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS ledger_runs (
                target TEXT NOT NULL PRIMARY KEY,
                account_id TEXT NOT NULL,
                list_id TEXT NOT NULL,
                run TEXT NOT NULL);
            """;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>A command of <paramref name="transaction"/> on one list's entries (<c>$target</c> bound to <paramref name="target"/>).</summary>
    private static SqliteCommand TargetCommand(SqliteTransaction transaction, string sql, string target)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.Parameters.AddWithValue("$target", target);
        return command;
    }
}
