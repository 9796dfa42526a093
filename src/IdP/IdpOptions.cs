using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP;

/// <summary>The IdP's settings, section `Idp` (see docs/idp.md).</summary>
public sealed class IdpOptions
{
    public const string Section = "Idp";

    /// <summary>The issuer, with a trailing slash: identical in discovery, tokens and the operator's output.</summary>
    public Uri? Issuer { get; set; }

    /// <summary>apply (default): migrate the database on start; check: refuse to start when it is behind.</summary>
    public string Migrations { get; set; } = "apply";

    /// <summary>When set, the one-time setup link is also written to this file.</summary>
    public string? SetupLinkFile { get; set; }

    public TimeSpan SetupLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Addresses or CIDR ranges whose X-Forwarded-* headers are believed. Empty: none.</summary>
    public List<string> TrustedProxies { get; set; } = [];

    public int MaxFailedSignIns { get; set; } = 5;

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>PBKDF2 iterations for user passwords (ASP.NET Core Identity's hasher).</summary>
    public int PasswordHashIterations { get; set; } = 210_000;

    /// <summary>How long an authorization code may wait to be redeemed (RFC 6749: at most 10 minutes).</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public SigningKeyOptions Keys { get; set; } = new();

    /// <summary>Two-factor sign-in: who needs it and how enrollment looks (see docs/mfa.md).</summary>
    public MfaOptions Mfa { get; set; } = new();
}

/// <summary>Signing key rotation, section `Idp:Keys`.</summary>
public sealed class SigningKeyOptions
{
    /// <summary>How long a key signs before a new one is introduced.</summary>
    public TimeSpan RotateAfter { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a new key is published in the JWKS before it signs (lets clients learn it first).</summary>
    public TimeSpan PublishAhead { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a running IdP looks for keys that are due, or that another replica introduced.</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a superseded key stays in the JWKS to verify tokens it signed.</summary>
    public TimeSpan KeepForVerification { get; set; } = TimeSpan.FromDays(30);
}
