using System.ComponentModel;
using Spectre.Console.Cli;

namespace ContactLists.Cli.Commands;

/// <summary>The options every command that uses an account has.</summary>
internal class AccountSettings : CommandSettings
{
    [CommandOption("-a|--account <NAME>")]
    [Description("The account to use, as configured under ContactLists:{Provider}:{NAME} (appsettings.json in this folder, environment variables such as ContactLists__Whippy__marketing__ApiKey, or user secrets). With --emulator: one account per provider, named after it in lower case (such as whippy).")]
    public string? Account { get; init; }

    [CommandOption("--emulator")]
    [Description("Use an emulator started in this process instead of configured accounts (its state is lost when the command ends).")]
    public bool Emulator { get; init; }
}
