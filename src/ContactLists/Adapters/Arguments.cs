namespace ContactLists.Adapters;

/// <summary>
/// The argument checks every client makes before any request, so that bad input fails with a
/// <see cref="ContactListValidationException"/> naming the parameter and never reaches a provider.
/// </summary>
internal static class Arguments
{
    /// <summary>
    /// An id must have visible content and no control characters. Characters such as <c>/</c>, <c>?</c>, <c>#</c> or
    /// <c>..</c> inside an id are allowed: the Refit layer escapes every id as one path segment, so an id never changes
    /// the path. An id that is exactly <c>.</c> or <c>..</c> is refused: as a whole segment it means "this" or "parent"
    /// to URI normalization (and to servers that decode <c>%2E</c>), so no escaping keeps it from changing the path.
    /// </summary>
    public static void CheckId(string? id, string paramName)
    {
        if (id is null)
        {
            throw new ContactListValidationException("A list id is required, but it is null.", paramName);
        }

        if (string.IsNullOrWhiteSpace(id))
        {
            throw new ContactListValidationException("A list id cannot be empty or white space.", paramName);
        }

        if (HasControlCharacter(id))
        {
            throw new ContactListValidationException("A list id cannot contain control characters.", paramName);
        }

        if (id is "." or "..")
        {
            throw new ContactListValidationException($"A list id cannot be '{id}': as a path segment it would change the request's path.", paramName);
        }
    }

    /// <summary>
    /// A list name must have no control characters (no provider documents them, and some strip them silently) and
    /// fit <paramref name="maxLength"/>, which some providers would otherwise enforce by shortening the name silently.
    /// </summary>
    /// <param name="name">The name.</param>
    /// <param name="paramName">The parameter it came in.</param>
    /// <param name="provider">The provider, named in the message.</param>
    /// <param name="maxLength">The longest name sent.</param>
    /// <param name="documented">Whether <paramref name="maxLength"/> is the provider's documented limit (rather than the account's setting or the stated default).</param>
    public static void CheckListName(string name, string paramName, string provider, int maxLength, bool documented)
    {
        if (HasControlCharacter(name))
        {
            throw new ContactListValidationException("A list name cannot contain control characters (such as a line break or a tab).", paramName);
        }

        if (name.Length > maxLength)
        {
            var shown = name.Length <= 80 ? $"'{name}'" : $"'{name[..40]}…'";
            throw new ContactListValidationException(
                documented
                    ? $"{provider} list names are at most {maxLength} characters, but {shown} has {name.Length}; {provider} would shorten it silently or refuse it."
                    : $"List names are at most {maxLength} characters here (ContactListClientOptions.MaxListNameLength; {provider} documents no limit), but {shown} has {name.Length}.",
                paramName);
        }
    }

    // A loop rather than LINQ: this runs on every call, and needs no enumerator or delegate.
    private static bool HasControlCharacter(string value)
    {
        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return true;
            }
        }

        return false;
    }
}
