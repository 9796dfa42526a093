using System.Security.Cryptography;
using System.Text;

namespace SsoOperator.IdP.Store;

/// <summary>
/// A cheap, salted comparison of a client secret with the one last written, so that an unchanged secret
/// costs one HMAC instead of the slow PBKDF2 hash OpenIddict keeps.
/// </summary>
public static class SecretFingerprint
{
    private const int SaltBytes = 32;

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltBytes);

    public static byte[] Compute(byte[] salt, string secret) =>
        HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));

    /// <summary>A digest of the stored slow hash, to notice when it was changed behind our back.</summary>
    public static byte[] DigestOfStoredHash(string? storedHash) =>
        SHA256.HashData(Encoding.UTF8.GetBytes(storedHash ?? string.Empty));

    /// <summary>True when <paramref name="secret"/> is the secret the registration's fingerprint was made of.</summary>
    public static bool Matches(ClientRegistration registration, string? secret, string? storedHash)
    {
        if (registration.SecretSalt is null || registration.SecretFingerprint is null || secret is null)
        {
            return secret is null && registration.SecretFingerprint is null && storedHash is null;
        }
        return CryptographicOperations.FixedTimeEquals(
                Compute(registration.SecretSalt, secret), registration.SecretFingerprint)
            && registration.StoredSecretDigest is not null
            && CryptographicOperations.FixedTimeEquals(
                DigestOfStoredHash(storedHash), registration.StoredSecretDigest);
    }
}
