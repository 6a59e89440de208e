using System.Net.Mail;
using PhoneNumbers;

namespace ContactLists.Identity;

/// <summary>Checks of contact fields shared by every adapter.</summary>
internal static class ContactFieldRules
{
    private static readonly PhoneNumberUtil Phones = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// Normalizes a phone number written in international form (leading <c>+</c>; spaces, dots, dashes and brackets
    /// allowed) to E.164, and checks it with libphonenumber as strictly as <paramref name="check"/> says. Returns the reason it is not.
    /// </summary>
    public static bool TryNormalizePhone(string? phone, PhoneNumberCheck check, out string normalized, out string reason)
    {
        normalized = string.Empty;
        if (string.IsNullOrWhiteSpace(phone))
        {
            reason = "is required";
            return false;
        }

        var trimmed = phone.Trim();
        if (!trimmed.StartsWith('+'))
        {
            reason = $"'{trimmed}' is not in international E.164 form (it must start with + and the country code, such as +14155550101)";
            return false;
        }

        PhoneNumber parsed;
        try
        {
            parsed = Phones.Parse(trimmed, null);
        }
        catch (NumberParseException e)
        {
            reason = e.ErrorType == ErrorType.INVALID_COUNTRY_CODE
                ? $"'{trimmed}' does not start with a country code in use"
                : $"'{trimmed}' is not a phone number";
            return false;
        }

        if (Phones.IsPossibleNumberWithReason(parsed) is not PhoneNumberUtil.ValidationResult.IS_POSSIBLE)
        {
            reason = $"'{trimmed}' has a length no number of its country code has";
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
}
