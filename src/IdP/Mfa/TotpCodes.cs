using System.Globalization;
using System.Text;
using OtpNet;

namespace SsoOperator.IdP.Mfa;

/// <summary>
/// TOTP as authenticator apps implement it (RFC 6238 with SHA-1, 6 digits, 30-second steps), on Otp.NET.
/// </summary>
public static class TotpCodes
{
    public const int Digits = 6;
    public const int PeriodSeconds = 30;

    /// <summary>160 bits: the key length RFC 4226, section 4 recommends for HMAC-SHA-1.</summary>
    public static byte[] NewSecret() => KeyGeneration.GenerateRandomKey(20);

    /// <summary>
    /// The time step <paramref name="code"/> belongs to, looking one step back and one ahead of
    /// <paramref name="now"/> for clock drift (RFC 6238, section 5.2) and no further; null when it matches none.
    /// </summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now)
    {
        var digits = Normalize(code);
        if (digits.Length != Digits || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        var totp = new Totp(secret, PeriodSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, digits, out var step, new VerificationWindow(previous: 1, future: 1))
            ? step
            : null;
    }

    /// <summary>The code for <paramref name="at"/>; tests and the enrollment check use it.</summary>
    public static string Compute(byte[] secret, DateTimeOffset at) =>
        new Totp(secret, PeriodSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(at.UtcDateTime);

    /// <summary>Base32 without padding, as the otpauth `secret` parameter and manual entry want it.</summary>
    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret).TrimEnd('=');

    /// <summary>
    /// The Key URI authenticator apps read from the QR code:
    /// otpauth://totp/Issuer:account?secret=...&amp;issuer=...&amp;algorithm=SHA1&amp;digits=6&amp;period=30
    /// (https://github.com/google/google-authenticator/wiki/Key-Uri-Format). The issuer is in the label and in
    /// the parameter, both percent-encoded, so that apps old and new show the same name.
    /// </summary>
    public static string OtpauthUri(string issuer, string account, byte[] secret)
    {
        var uri = new StringBuilder("otpauth://totp/")
            .Append(Uri.EscapeDataString(issuer)).Append(':').Append(Uri.EscapeDataString(account))
            .Append("?secret=").Append(Base32(secret))
            .Append("&issuer=").Append(Uri.EscapeDataString(issuer))
            .Append("&algorithm=SHA1")
            .Append(CultureInfo.InvariantCulture, $"&digits={Digits}&period={PeriodSeconds}");
        return uri.ToString();
    }

    // People type codes with spaces ("123 456") or paste them with a trailing newline.
    private static string Normalize(string code) =>
        new(code.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
}
