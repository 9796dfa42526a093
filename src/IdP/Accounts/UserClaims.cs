using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
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

    public static async Task<UserClaims> LoadAsync(UserManager<IdpUser> users, IdpUser user)
    {
        var groups = await users.GetRolesAsync(user);
        return new UserClaims(user.Id, user.UserName ?? user.Id, user.DisplayName ?? user.UserName,
            user.Email, user.EmailConfirmed, [.. groups.Order(StringComparer.Ordinal)]);
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
