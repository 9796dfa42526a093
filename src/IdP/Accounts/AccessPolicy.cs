using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// Why a user may not use an application; null when they may. <paramref name="NeedsMfa"/>: a rule admits
/// the user, only the second factor is missing (so the answer is a step-up, not "no access").
/// </summary>
public sealed record AccessDenial(string ApplicationName, string Reason, bool NeedsMfa = false);

/// <summary>Enforces the access policy of the application a client belongs to. Deny unless a rule matches.</summary>
public sealed class AccessPolicy(IdpDbContext db, IOptions<IdpOptions> options)
{
    public async Task<AccessDenial?> EvaluateAsync(
        string clientId, UserClaims user, bool signedInWithMfa, CancellationToken ct)
    {
        var applications = await db.Applications.AsNoTracking()
            .Where(a => a.ClientId == clientId).ToListAsync(ct);
        if (applications.Count == 0)
        {
            // Note: a client no Application resource points at has no policy, so nobody may use it.
            return new AccessDenial(clientId, "No application is set up for this client.");
        }

        var admitting = applications.Where(a => Admits(a, user)).ToList();
        if (admitting.Count == 0)
        {
            return new AccessDenial(applications[0].DisplayName, "Your account is not allowed to use it.");
        }
        var everyone = options.Value.Mfa.Policy == MfaPolicy.Everyone;
        if (!signedInWithMfa && (everyone || admitting.All(a => a.RequireMfa)))
        {
            return new AccessDenial(admitting[0].DisplayName, "It requires multi-factor authentication.",
                NeedsMfa: true);
        }
        return null;
    }

    /// <summary>The applications with a launch URL whose rules admit the user, for the start page.</summary>
    public async Task<IReadOnlyList<ApplicationRecord>> LaunchableAsync(UserClaims user, CancellationToken ct)
    {
        var withLaunchUrl = await db.Applications.AsNoTracking()
            .Where(a => a.LaunchUrl != null).ToListAsync(ct);
        return [.. withLaunchUrl.Where(a => Admits(a, user)).OrderBy(a => a.DisplayName, StringComparer.Ordinal)];
    }

    private static bool Admits(ApplicationRecord application, UserClaims user) =>
        application.Users.Contains(user.PreferredUsername, StringComparer.Ordinal)
        || application.Groups.Intersect(user.Groups, StringComparer.Ordinal).Any();
}
