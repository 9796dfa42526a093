namespace SsoOperator.IdP.Mfa;

/// <summary>Who must sign in with a second factor.</summary>
public enum MfaPolicy
{
    /// <summary>Only applications whose access rules say `requireMfa: true`.</summary>
    PerApplication,

    /// <summary>Every sign-in, administrators included: no session exists without a second factor.</summary>
    Everyone,
}

/// <summary>Two-factor settings, section `Idp:Mfa` (see docs/mfa.md).</summary>
public sealed class MfaOptions
{
    public MfaPolicy Policy { get; set; } = MfaPolicy.PerApplication;

    /// <summary>The name authenticator apps show above the account (the otpauth `issuer`).</summary>
    public string IssuerName { get; set; } = "SsoOperator";

    /// <summary>How many recovery codes a user gets at enrollment and on each regeneration.</summary>
    public int RecoveryCodeCount { get; set; } = 10;

    /// <summary>How long a user may take between the password and the second step (enrollment included).</summary>
    public TimeSpan PendingSignInLifetime { get; set; } = TimeSpan.FromMinutes(15);
}
