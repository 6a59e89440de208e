namespace ContactLists.Providers.Octopush;

/// <summary>Which of the two documented names of Octopush's opt-out flag to send.</summary>
public enum OctopushOptOutParameter
{
    /// <summary><c>auto_delete_optout_contacts</c>, the name in the current API reference (the default).</summary>
    AutoDeleteOptoutContacts,

    /// <summary><c>auto_remove_blacklisted_numbers</c>, the name in the older docs.</summary>
    AutoRemoveBlacklistedNumbers,
}

/// <summary>What the client does before a call that names a list which, if Octopush did not know it, might act on the whole account.</summary>
public enum OctopushListGuard
{
    /// <summary>
    /// Make sure the list exists first (the default): send <c>contact-list/create</c> with its name, and go on when
    /// Octopush creates it or says it already exists. Octopush documents that <c>contact/delete</c> without a list
    /// deletes the numbers from the whole account and that it ignores what it does not recognise, so a delete naming a
    /// list it does not know could be account-wide. Costs one request per batch; a mistyped name leaves an empty list.
    /// </summary>
    EnsureListExists,

    /// <summary>Send the call as it is. Only for accounts where the list is known to exist and the extra request matters.</summary>
    None,
}

/// <summary>Settings of one Octopush account (bound from <c>ContactLists:Octopush:{name}</c>).</summary>
public sealed class OctopushOptions : ContactListClientOptions
{
    /// <summary>Octopush's documented API address, <c>https://api.octopush.com</c> (paths start with <c>/v1/public</c>).</summary>
    public static readonly Uri DefaultBaseAddress = new("https://api.octopush.com");

    /// <summary>The most numbers one delete call takes (documented).</summary>
    public const int MaxNumbersPerDelete = 200;

    /// <summary>The largest add batch the SDK allows (Octopush publishes no limit for adds).</summary>
    public const int MaxContactsPerAdd = 1000;

    /// <summary>The longest list name (documented).</summary>
    public const int DocumentedMaxListNameLength = 30;

    /// <summary>The longest tag name (documented).</summary>
    public const int MaxTagNameLength = 20;

    /// <summary>Creates options with Octopush's documented defaults.</summary>
    public OctopushOptions() => BaseAddress = DefaultBaseAddress;

    /// <summary>Required: the account login (an e-mail address), sent as <c>api-login</c>.</summary>
    public string? ApiLogin { get; set; }

    /// <summary>Required: the API key, sent as <c>api-key</c>. Never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Contacts per add request; default 200 (the delete limit, as no add limit is published), at most 1000.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Octopush's <c>do_not_overwrite</c> for adds: <see langword="true"/> leaves existing contacts untouched. <see langword="null"/> (the default) does not send it.</summary>
    public bool? DoNotOverwrite { get; set; }

    /// <summary>Ask Octopush to skip opted-out numbers when adding (sent under <see cref="OptOutParameterName"/>).</summary>
    public bool SkipOptedOutContacts { get; set; }

    /// <summary>Which documented name the opt-out flag is sent under.</summary>
    public OctopushOptOutParameter OptOutParameterName { get; set; } = OctopushOptOutParameter.AutoDeleteOptoutContacts;

    /// <summary>A tag to attach to every added contact (at most 20 characters); <see langword="null"/> for none.</summary>
    public string? TagName { get; set; }

    /// <summary>The attribute key sent as <c>param1</c>. Attributes with no param slot are refused, not dropped.</summary>
    public string? Param1Attribute { get; set; } = "param1";

    /// <summary>The attribute key sent as <c>param2</c>.</summary>
    public string? Param2Attribute { get; set; } = "param2";

    /// <summary>The attribute key sent as <c>param3</c>.</summary>
    public string? Param3Attribute { get; set; } = "param3";

    /// <summary>The attribute key sent as <c>param4</c>.</summary>
    public string? Param4Attribute { get; set; } = "param4";

    /// <summary>The attribute key sent as <c>param5</c>.</summary>
    public string? Param5Attribute { get; set; } = "param5";

    /// <summary>
    /// Whether removing contacts (and emptying a list for a replace) first makes sure the list exists, so that the call
    /// can never reach the whole account. Default <see cref="OctopushListGuard.EnsureListExists"/>.
    /// </summary>
    public OctopushListGuard ListGuard { get; set; } = OctopushListGuard.EnsureListExists;

    /// <summary>
    /// The success statuses of <c>contact/create</c> that count its contacts as accepted. Octopush does not document
    /// this call's success answer; its other creates are documented as <c>201 Created</c>, so the default is 201 alone.
    /// Any other 2xx is not counted as done (<see cref="UnexpectedAnswerProblem.UnexpectedStatus"/>, retried, since
    /// the call is an upsert): a proxy's or captive portal's 200 is not Octopush's answer. If your account answers
    /// otherwise, list its statuses here (200 and 204 are the other plausible ones). <see langword="null"/> (the
    /// default) means 201 alone. See docs/providers/octopush.md.
    /// </summary>
    public IList<int>? AddContactsSuccessStatuses { get; set; }

    /// <summary>The statuses <see cref="AddContactsSuccessStatuses"/> stands for.</summary>
    internal bool IsAddContactsSuccess(int status) => AddContactsSuccessStatuses is { Count: > 0 } statuses ? statuses.Contains(status) : status == 201;

    internal string?[] ParamAttributes => [Param1Attribute, Param2Attribute, Param3Attribute, Param4Attribute, Param5Attribute];

    /// <inheritdoc/>
    protected internal override void Validate(string settingPath, ICollection<string> problems)
    {
        base.Validate(settingPath, problems);
        Require(ApiLogin, $"{settingPath}:ApiLogin", "the Octopush account login, an e-mail address", problems);
        Require(ApiKey, $"{settingPath}:ApiKey", "the Octopush API key", problems);
        if (BatchSize is < 1 or > MaxContactsPerAdd)
        {
            problems.Add($"{settingPath}:BatchSize must be between 1 and {MaxContactsPerAdd}, but is {BatchSize}.");
        }

        if (TagName is { Length: > MaxTagNameLength } || TagName is { } tag && string.IsNullOrWhiteSpace(tag))
        {
            problems.Add($"{settingPath}:TagName must be 1 to {MaxTagNameLength} characters, but is '{TagName}'.");
        }

        if (MaxListNameLength is > OctopushOptions.DocumentedMaxListNameLength)
        {
            problems.Add($"{settingPath}:MaxListNameLength cannot be above Octopush's documented {OctopushOptions.DocumentedMaxListNameLength} characters, but is {MaxListNameLength}.");
        }

        if (AddContactsSuccessStatuses is { } statuses && statuses.Any(s => s is < 200 or > 299))
        {
            problems.Add($"{settingPath}:AddContactsSuccessStatuses must hold one or more 2xx statuses (default 201).");
        }

        var slots = ParamAttributes.OfType<string>().ToArray();
        if (slots.Distinct(StringComparer.Ordinal).Count() != slots.Length)
        {
            problems.Add($"{settingPath}: Param1Attribute..Param5Attribute must name different attributes.");
        }
    }

    /// <summary>Describes the options without the API key.</summary>
    public override string ToString() => $"OctopushOptions {{ BaseAddress = {BaseAddress}, ApiLogin = {ApiLogin}, ApiKey = {Mask(ApiKey)}, BatchSize = {BatchSize} }}";
}
