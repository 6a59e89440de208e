using ContactLists.Tests.Reliability;

namespace ContactLists.Tests.Sync;

/// <summary>What a list must hold after a <see cref="MessyExport"/> is synced into it, and what it holds, per provider.</summary>
public static class SyncExpectations
{
    /// <summary>The identities each provider's list must hold after syncing the export: what its client accepts.</summary>
    public static List<string> Expected(string provider, MessyExport export) => provider switch
    {
        // A bad e-mail beside a valid phone is left out, not the contact (Whippy and Messengeo check e-mails).
        "Whippy" => export.Customers.Where(c => c.Phone is not null).Select(c => c.Phone!).Distinct().ToList(),
        // Octopush stores no e-mail: it is left out, the contact is sent.
        "Octopush" => export.Customers.Where(c => c.Phone is not null).Select(c => c.Phone!).Distinct().ToList(),
        // SlickText cannot create a contact without a mobile number: e-mail-only customers are refused by the provider.
        "SlickText" => export.Customers.Where(c => c.Phone is not null).Select(c => c.Phone!).Distinct().ToList(),
        "Movio" => export.Customers.Where(c => c.EmailValid).Select(c => c.Email!).Distinct().ToList(),
        // Messengeo finds a contact by its phone, else its e-mail: a bad phone, or a bad e-mail with no phone, leaves it out.
        _ => export.Customers.Where(c => !c.PhoneInvalid && (c.Phone is not null || c.EmailValid)).Select(c => c.Phone ?? c.Email!).Distinct().ToList(),
    };

    public static List<string> Members(ReliabilityTarget target, TargetRun run, string listId) => Members(target, run.Emulator, listId);

    /// <summary>The identities a list holds, as <see cref="Expected"/> names them.</summary>
    public static List<string> Members(ReliabilityTarget target, ContactLists.Emulator.ContactListsEmulator emulator, string listId) => target.Name switch
    {
        "Movio" => emulator.Movio.State.GetMemberEmails(listId).Select(e => e.ToLowerInvariant()).ToList(),
        "Messengeo" => emulator.Messengeo.State.GetMemberMobiles(listId)
            .Zip(emulator.Messengeo.State.GetMemberProperty(listId, "email"), (mobile, email) => mobile ?? email!.ToLowerInvariant()).ToList(),
        _ => [.. target.Members(emulator, listId)],
    };
}
