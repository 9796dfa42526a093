using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// The token endpoint after OpenIddict authenticated the client and validated the grant: re-reads the user
/// (who may have been disabled or removed from the application since) and issues fresh claims.
/// </summary>
public static class TokenEndpoint
{
    public const string Path = "/connect/token";

    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost(Path, ExchangeAsync).DisableAntiforgery();

    private static async Task<IResult> ExchangeAsync(
        HttpContext context, UserManager<IdpUser> users, IdpDbContext db, AccessPolicy policy,
        IOpenIddictApplicationManager clients)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not attach the token request");
        if (request.IsClientCredentialsGrantType())
        {
            return await ClientCredentialsAsync(request, clients, context.RequestAborted);
        }
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            return AuthorizationEndpoint.Forbid(Errors.UnsupportedGrantType, "The grant type is not supported.");
        }

        var granted = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var subject = granted.Principal?.GetClaim(Claims.Subject);
        var user = subject is null ? null : await users.FindByIdAsync(subject);
        if (user is null || user.IsDisabled || await users.IsLockedOutAsync(user))
        {
            // RFC 6749, section 5.2: a grant whose resource owner is gone is an invalid_grant.
            return AuthorizationEndpoint.Forbid(Errors.InvalidGrant, "The user can no longer sign in.");
        }

        var claims = await UserClaims.LoadAsync(users, db, user);
        var scopes = granted.Principal!.GetScopes();
        var amr = AuthenticationMethods.Read(granted.Principal);
        if (await policy.EvaluateAsync(request.ClientId!, claims, AuthenticationMethods.HasSecondFactor(amr),
            context.RequestAborted) is not null)
        {
            return AuthorizationEndpoint.Forbid(Errors.InvalidGrant, "The user may no longer use this application.");
        }

        var principal = new ClaimsPrincipal(
            claims.ToIdentity(scopes, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme));
        principal.SetScopes(scopes);
        // Refreshed tokens say how the user signed in originally, not that a refresh happened.
        AuthenticationMethods.AddToTokens(principal, amr.Count > 0 ? amr : AuthenticationMethods.PasswordOnly);
        if (long.TryParse(granted.Principal!.GetClaim(Claims.AuthenticationTime), out var authenticatedAt))
        {
            principal.SetClaim(Claims.AuthenticationTime, authenticatedAt);
        }
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static async Task<IResult> ClientCredentialsAsync(
        OpenIddictRequest request, IOpenIddictApplicationManager clients, CancellationToken ct)
    {
        var application = await clients.FindByClientIdAsync(request.ClientId!, ct)
            ?? throw new InvalidOperationException("OpenIddict authenticated a client it cannot find");
        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme,
            Claims.Name, Claims.Role);
        // The client acts for itself: its id is the subject.
        identity.SetClaim(Claims.Subject, request.ClientId);
        identity.SetClaim(Claims.Name, await clients.GetDisplayNameAsync(application, ct) ?? request.ClientId);
        identity.SetDestinations(_ => [Destinations.AccessToken]);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }
}
