using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// The claims a user is described by, built once from the database so that the ID token and the userinfo
/// response carry the same values.
/// </summary>
public sealed record UserClaims(
    string Subject, string PreferredUsername, string? Name, string? Email, bool EmailVerified,
    IReadOnlyList<string> Groups)
{
    public const string GroupsClaim = "groups";
    public const string GroupsScope = "groups";

    /// <summary>
    /// The user's claims. Groups are the ones the user is assigned to, and those whose declared members (from
    /// Group resources) name the user's user name or, once confirmed, the email address.
    /// </summary>
    public static async Task<UserClaims> LoadAsync(UserManager<IdpUser> users, IdpDbContext db, IdpUser user)
    {
        ArgumentNullException.ThrowIfNull(users);
        ArgumentNullException.ThrowIfNull(user);
        var assigned = await users.GetRolesAsync(user);
        var declared = await DeclaredGroupsAsync(db, user);
        var groups = assigned.Union(declared, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        return new UserClaims(user.Id, user.UserName ?? user.Id, user.DisplayName ?? user.UserName,
            user.Email, user.EmailConfirmed, [.. groups]);
    }

    // GroupWriter stores email members lower-cased; an unconfirmed address proves nothing, so it matches nothing.
    private static async Task<List<string>> DeclaredGroupsAsync(IdpDbContext db, IdpUser user)
    {
        var names = new List<string>(2);
        if (user.UserName is { } userName)
        {
            names.Add(userName);
        }
        if (user.EmailConfirmed && user.Email is { } email)
        {
            names.Add(email.Trim().ToLowerInvariant());
        }
        if (names.Count == 0)
        {
            return [];
        }
        return await db.Roles.AsNoTracking()
            .Where(g => g.Members.Any(member => names.Contains(member)))
            .Select(g => g.Name!).ToListAsync();
    }

    /// <summary>The userinfo response (OpenID Connect Core 1.0, section 5.3.2) for the granted scopes.</summary>
    public Dictionary<string, object> ToUserInfo(IEnumerable<string> scopes)
    {
        var granted = scopes.ToHashSet(StringComparer.Ordinal);
        var response = new Dictionary<string, object>(StringComparer.Ordinal) { [Claims.Subject] = Subject };
        if (granted.Contains(Scopes.Profile))
        {
            response[Claims.PreferredUsername] = PreferredUsername;
            response[Claims.Name] = Name ?? PreferredUsername;
        }
        if (granted.Contains(Scopes.Email) && Email is not null)
        {
            response[Claims.Email] = Email;
            response[Claims.EmailVerified] = EmailVerified;
        }
        if (granted.Contains(GroupsScope))
        {
            response[GroupsClaim] = Groups;
        }
        return response;
    }

    /// <summary>The identity for OpenIddict, with each claim sent to the ID token and the access token.</summary>
    public ClaimsIdentity ToIdentity(IEnumerable<string> scopes, string authenticationType)
    {
        var identity = new ClaimsIdentity(authenticationType, Claims.Name, Claims.Role);
        foreach (var (type, value) in ToUserInfo(scopes))
        {
            identity.AddClaim(ToClaim(type, value));
        }
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return identity;
    }

    private static Claim ToClaim(string type, object value) => value switch
    {
        // A JSON array even when there is one group or none: clients expect `groups` to be a list.
        IReadOnlyList<string> list => new Claim(type, JsonSerializer.Serialize(list), JsonClaimValueTypes.JsonArray),
        bool flag => new Claim(type, flag ? "true" : "false", ClaimValueTypes.Boolean),
        _ => new Claim(type, (string)value),
    };
}
