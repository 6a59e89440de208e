using System.IO.Hashing;
using System.Text;

namespace ContactLists.Identity;

/// <summary>
/// The 128-bit hash an identity key (<see cref="IdentityKeys"/>) is remembered by where a job holds one per contact (a
/// sync's plan of a million rows, the duplicates of a bulk call): XXH128 of its UTF-8, sixteen bytes instead of its
/// string. Two identities share one only with odds of about one in 10^29 per pair. Two <see cref="ulong"/> halves, not a
/// <see cref="UInt128"/>, so that a dictionary entry keyed by it is not padded to a 16-byte alignment.
/// </summary>
internal readonly record struct IdentityHash(ulong Low, ulong High)
{
    /// <summary>The hash of <paramref name="key"/>.</summary>
    public static IdentityHash Of(string key)
    {
        Span<byte> bytes = key.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(key.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(key.Length)];
        var hash = XxHash128.HashToUInt128(bytes[..Encoding.UTF8.GetBytes(key, bytes)]);
        return new IdentityHash((ulong)hash, (ulong)(hash >> 64));
    }

    /// <inheritdoc/>
    public override int GetHashCode() => (int)Low;
}
