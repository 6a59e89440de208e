using System.Net.Mail;
using PhoneNumbers;

namespace ContactLists.Identity;

/// <summary>Checks of contact fields shared by every adapter.</summary>
internal static class ContactFieldRules
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>Normalizes a phone number in international form to E.164 (see the overload with a default region).</summary>
    public static bool TryNormalizePhone(string? phone, PhoneNumberCheck check, out string normalized, out string reason)
        => TryNormalizePhone(phone, check, null, out normalized, out reason);

    /// <summary>
    /// Normalizes a phone number to E.164 and checks it with libphonenumber as strictly as <paramref name="check"/>
    /// says. International form (a leading <c>+</c>; spaces, dots, dashes and brackets allowed) always works; a
    /// national form (<c>07911 123456</c>) is read as a number of <paramref name="defaultRegion"/> (an ISO 3166 code
    /// such as <c>GB</c>) when one is given. Returns the reason it is not a number.
    /// </summary>
    public static bool TryNormalizePhone(string? phone, PhoneNumberCheck check, string? defaultRegion, out string normalized, out string reason)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(phone))
        {
            reason = "is required";
            return false;
        }

        var trimmed = phone.Trim();
        if (!trimmed.StartsWith('+') && defaultRegion is null)
        {
            reason = $"'{trimmed}' is not in international form (+ and the country code, such as +14155550101); set DefaultRegion (such as GB) to read national numbers";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Phones.Parse(trimmed, trimmed.StartsWith('+') ? null : defaultRegion);
        }
        catch (NumberParseException e)
        {
            reason = e.ErrorType == ErrorType.INVALID_COUNTRY_CODE
                ? $"'{trimmed}' does not start with a country code in use"
                : trimmed.StartsWith('+') ? $"'{trimmed}' is not a phone number" : $"'{trimmed}' is not a phone number of {defaultRegion}";
            return false;
        }

        if (Phones.IsPossibleNumberWithReason(parsed) is not PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
        {
            reason = trimmed.StartsWith('+') ? $"'{trimmed}' has a length no number of its country code has" : $"'{trimmed}' has a length no number of {defaultRegion} has";
            return false;
        }

        if (check == PhoneNumberCheck.Valid && !Phones.IsValidNumber(parsed))
        {
            reason = $"'{trimmed}' is not in a number range assigned for its country code (PhoneNumberCheck.Valid)";
            return false;
        }

        normalized = Phones.Format(parsed, PhoneNumberFormat.E164);
        reason = string.Empty;
        return true;
    }

    /// <summary>Checks an e-mail address (one address, with a domain). Returns the reason it is not valid.</summary>
    public static bool TryNormalizeEmail(string? email, out string normalized, out string reason)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(email))
        {
            reason = "is required";
            return false;
        }

        var trimmed = email.Trim();
        if (!MailAddress.TryCreate(trimmed, out var address) || !string.Equals(address.Address, trimmed, StringComparison.Ordinal) || address.Host.Length == 0)
        {
            reason = $"'{trimmed}' is not a valid e-mail address";
            return false;
        }

        normalized = trimmed;
        reason = string.Empty;
        return true;
    }

    /// <summary>Whether <paramref name="region"/> is a region libphonenumber knows (an ISO 3166 alpha-2 code such as <c>GB</c>).</summary>
    public static bool IsKnownRegion(string? region) => region is not null && Phones.GetSupportedRegions().Contains(region);
}
