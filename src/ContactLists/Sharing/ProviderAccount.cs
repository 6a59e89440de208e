using System.Security.Cryptography;
using System.Text;

namespace ContactLists.Sharing;

/// <summary>
/// One provider account as a shared store sees it: the provider, the client name it is registered under here, and
/// an <see cref="Id"/> that is the same in every process using the same account, and that reveals nothing of its
/// credentials.
/// </summary>
public sealed class ProviderAccount
{
    /// <summary>Creates an account description.</summary>
    /// <param name="providerName">The provider, such as <c>Whippy</c>.</param>
    /// <param name="clientName">The client name the account is registered under in this process.</param>
    /// <param name="id">A stable, non-secret identifier of the account (see <see cref="Id"/>).</param>
    public ProviderAccount(string providerName, string clientName, string id)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(providerName);
        ArgumentException.ThrowIfNullOrWhiteSpace(clientName);
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ProviderName = providerName;
        ClientName = clientName;
        Id = id;
    }

    /// <summary>The provider, such as <c>Whippy</c>.</summary>
    public string ProviderName { get; }

    /// <summary>The client name the account is registered under in this process (instances may name it differently).</summary>
    public string ClientName { get; }

    /// <summary>
    /// A stable identifier of the account, the same in every process that uses it: by default the first 128 bits of a
    /// SHA-256 of the base address and the account's credential identity (API key, or token endpoint and client id),
    /// in hex. One-way, so it can name keys in a shared store without revealing a credential; set
    /// <see cref="ContactListClientOptions.SharedAccountId"/> to choose it yourself.
    /// </summary>
    public string Id { get; }

    /// <summary>The default <see cref="Id"/> of an account: a one-way fingerprint of its address and credential identity.</summary>
    /// <param name="baseAddress">The API's base address (the emulator and the real provider are different accounts).</param>
    /// <param name="credentialIdentity">What identifies the account's credentials (an API key, or a token endpoint and client id).</param>
    public static string Fingerprint(Uri baseAddress, string credentialIdentity)
    {
        ArgumentNullException.ThrowIfNull(baseAddress);
        ArgumentNullException.ThrowIfNull(credentialIdentity);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(baseAddress.AbsoluteUri + "\n" + credentialIdentity));
        return Convert.ToHexString(hash.AsSpan(0, 16));
    }

    /// <summary>Describes the account by provider, client name and id (never a credential).</summary>
    public override string ToString() => $"{ProviderName} account '{ClientName}' ({Id})";
}
