namespace ContactLists.Emulator;

// The SlickText module's settings, on the one options class (a module keeps its settings in its own folder).
public sealed partial class EmulatorOptions
{
    /// <summary>The API key the SlickText module accepts.</summary>
    public string SlickTextApiKey { get; set; } = "emulator-slicktext-key";

    /// <summary>
    /// Which form of "Remove Contacts from Lists" the SlickText module serves; the other answers 404/405, as a server
    /// serving only the other form would. SlickText has not confirmed either.
    /// </summary>
    public SlickTextRemoveForm SlickTextRemoveForm { get; set; } = SlickTextRemoveForm.BrandListsContacts;

    /// <summary>The brand id of the SlickText module.</summary>
    public long SlickTextBrandId { get; set; } = 1_234_500_001;
}

/// <summary>Which of the forms SlickText's sources show for "Remove Contacts from Lists" the SlickText module serves (the real one is not confirmed).</summary>
public enum SlickTextRemoveForm
{
    /// <summary><c>DELETE /v1/brands/{brand_id}/lists/contacts</c> with the add call's array, answered <c>{count}</c> (the default).</summary>
    BrandListsContacts,

    /// <summary><c>DELETE /v1/contacts/{contact_id}/lists/{contact_list_id}</c>, no body, one per membership; 404 when not a member.</summary>
    PerMembership,
}
