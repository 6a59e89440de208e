// NightlySync: a Worker Service that keeps a contact list equal to your customers, on a schedule.
//
// With nothing configured it starts the local emulator in this process and syncs samples/customers.csv into a
// Messengeo list of it at each occurrence of NightlySync:Schedule (try --NightlySync:Schedule="* * * * *" to see a run
// a minute, and --NightlySync:ConsoleTelemetry=true for the metrics). Against your own account, configure it as the
// SDK binds it (never commit secrets), for example:
//     export ContactLists__Messengeo__crm__ClientId=... ContactLists__Messengeo__crm__ClientSecret=...
//     export NightlySync__ListId=4411 NightlySync__Source=/exports/customers.csv NightlySync__Region=GB
//     export NightlySync__LedgerPath=/var/lib/nightlysync/ledger.db      (on a volume that outlives the process)
//     export ContactLists__Ledger__Redis=redis:6379                       (optional: the ledger on Redis instead)
// Replace CsvCustomerSource with your database query (ICustomerSource). docs/hosting.md explains each piece.
using Microsoft.Extensions.Hosting;
using NightlySync;

var builder = await NightlySyncApp.CreateBuilderAsync(args);
using var host = builder.Build();
await host.RunAsync();
