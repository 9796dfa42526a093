namespace SsoOperator.Outpost.Configuration;

/// <summary>The outcome of checking a user against an application's access rules.</summary>
public enum AccessDecision
{
    Allowed,

    /// <summary>No group or user rule names the user.</summary>
    NotPermitted,

    /// <summary>A rule admits the user, but the application requires MFA and the sign-in had none.</summary>
    MfaRequired,
}

/// <summary>The signed-in user as the IdP described them.</summary>
public sealed record UserIdentity(
    string Subject,
    string? Username,
    string? Email,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Amr)
{
    /// <summary>True when the sign-in used a second factor (RFC 8176 amr values otp or mfa).</summary>
    public bool HasMfa => Amr.Contains("otp") || Amr.Contains("mfa");
}

/// <summary>Who may use an application; an empty policy admits nobody.</summary>
public sealed record AccessPolicy(IReadOnlySet<string> Groups, IReadOnlySet<string> Users, bool RequireMfa)
{
    public static AccessPolicy DenyAll { get; } = new(new HashSet<string>(), new HashSet<string>(), false);

    public AccessDecision Evaluate(UserIdentity user)
    {
        var named = Users.Contains(user.Subject) ||
                    (user.Username is not null && Users.Contains(user.Username)) ||
                    user.Groups.Any(Groups.Contains);
        if (!named)
        {
            return AccessDecision.NotPermitted;
        }
        return RequireMfa && !user.HasMfa ? AccessDecision.MfaRequired : AccessDecision.Allowed;
    }
}
