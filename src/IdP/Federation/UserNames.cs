namespace SsoOperator.IdP.Federation;

/// <summary>The user name a new federated user gets.</summary>
public static class UserNames
{
    /// <summary>
    /// The first usable of: the claim the source names (email or preferred_username), the other one, sub. A name
    /// that looks like an email address must be this person's verified email, because Group members and access
    /// rules that name an address would otherwise match an account that merely claims it.
    /// </summary>
    public static string BaseName(string usernameClaim, ExternalIdentity identity, string? allowedCharacters)
    {
        var verifiedEmail = identity.EmailVerified ? identity.Email : null;
        string?[] candidates = usernameClaim == "preferred_username"
            ? [identity.PreferredUsername, verifiedEmail, identity.Subject]
            : [verifiedEmail, identity.PreferredUsername, identity.Subject];
        foreach (var candidate in candidates)
        {
            if (IsUsable(candidate, identity, allowedCharacters))
            {
                return candidate!;
            }
        }
        throw new FederationException("user-name-invalid",
            "This account's identifier cannot be used as a user name here; an administrator must add it.");
    }

    private static bool IsUsable(string? name, ExternalIdentity identity, string? allowedCharacters)
    {
        if (string.IsNullOrWhiteSpace(name) || name.Length > 256)
        {
            return false;
        }
        if (name.Contains('@', StringComparison.Ordinal)
            && !(identity.EmailVerified && string.Equals(name, identity.Email, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        return string.IsNullOrEmpty(allowedCharacters) || name.All(allowedCharacters.Contains);
    }
}
