using System.Security.Cryptography;
using System.Text;

namespace SsoOperator.IdP.Mfa;

/// <summary>One-time recovery codes: 10 characters (about 49 bits) from an alphabet without look-alikes.</summary>
public static class RecoveryCodes
{
    // Lower-case letters and digits without the look-alikes 0, 1, i, l and o: 31 symbols.
    private const string Alphabet = "abcdefghjkmnpqrstuvwxyz23456789";

    public static string New()
    {
        var chars = new char[10];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        }
        return $"{new string(chars, 0, 5)}-{new string(chars, 5, 5)}";
    }

    /// <summary>
    /// What is stored: SHA-256 of the user id and the code without separators or case. The code is random
    /// and long enough that a fast hash suffices; the user id keeps equal codes of two users apart.
    /// </summary>
    public static byte[] Hash(string userId, string code)
    {
        var normalized = new string(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return SHA256.HashData(Encoding.UTF8.GetBytes($"{userId}:{normalized}"));
    }
}
