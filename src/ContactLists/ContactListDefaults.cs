namespace ContactLists;

/// <summary>Well-known names.</summary>
public static class ContactListDefaults
{
    /// <summary>The configuration section the SDK binds from: <c>ContactLists</c>.</summary>
    public const string ConfigurationSection = "ContactLists";
}
