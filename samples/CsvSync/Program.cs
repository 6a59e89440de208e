// CsvSync: make a contact list hold exactly the contacts of a CSV file.
//   dotnet run --project samples/CsvSync -- [file.csv] [--provider whippy|movio|octopush|slicktext|messengeo] [--list ID] [--dry-run]
//   dotnet run --project samples/CsvSync -- --help
// Headers such as phone, mobile, Mobile Number, email, E-mail, first_name and external_id map to Contact fields
// (case, spaces and punctuation do not matter); any other column becomes an attribute. With no credentials configured
// (see samples/QuickStart), it runs against the emulator.
using Spectre.Console;

return await CsvSync.CsvSyncApp.RunAsync(args, AnsiConsole.Console);
