using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Protocol;

/// <summary>The userinfo endpoint (OpenID Connect Core 1.0, section 5.3): the same values as the ID token.</summary>
public static class UserInfoEndpoint
{
    public const string Path = "/connect/userinfo";

    public static void MapUserInfoEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).DisableAntiforgery();

    private static async Task<IResult> UserInfoAsync(
        HttpContext context, UserManager<IdpUser> users, IdpDbContext db)
    {
        var token = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = token.Principal?.GetClaim(Claims.Subject);
        var user = subject is null ? null : await users.FindByIdAsync(subject);
        if (user is null || user.IsDisabled)
        {
            return Results.Challenge(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The user is no longer valid.",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }
        var claims = await UserClaims.LoadAsync(users, db, user);
        return Results.Json(claims.ToUserInfo(token.Principal!.GetScopes()));
    }
}
