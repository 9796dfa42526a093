using System.Security.Claims;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Primitives;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// The authorization endpoint after OpenIddict validated the request (client, redirect URI, PKCE): signs the
/// user in when needed, enforces the application's access policy and issues the code.
/// </summary>
public static class AuthorizationEndpoint
{
    public const string Path = "/connect/authorize";

    public static void MapAuthorizationEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync).DisableAntiforgery();

    private static async Task<IResult> AuthorizeAsync(HttpContext context, UserManager<IdpUser> users,
        IdpDbContext db, AccessPolicy policy, Audit audit, IOpenIddictApplicationManager clients)
    {
        // RFC 6749, section 4.1.2.1: with an unknown client or an unregistered redirect_uri the server MUST NOT
        // redirect, and should inform the resource owner. OpenIddict passes the errors it does not redirect
        // through to us (error passthrough); nothing below may run for them.
        if (RejectedRequestPage.ErrorOf(context) is { } error)
        {
            return await RejectedRequestPage.AuthorizationAsync(context, error, clients, audit);
        }

        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not attach the authorization request");
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal) : null;

        // OpenID Connect Core 1.0, section 3.1.2.1: prompt=login and an exceeded max_age force a new sign-in.
        if (user is null || user.IsDisabled || request.HasPromptValue(PromptValues.Login) || TooOld(session, request))
        {
            return request.HasPromptValue(PromptValues.None)
                ? Forbid(Errors.LoginRequired, "The user is not signed in.")
                : Results.Challenge(new AuthenticationProperties { RedirectUri = RedirectWithoutPrompt(context) },
                    [IdentityConstants.ApplicationScheme]);
        }

        var claims = await UserClaims.LoadAsync(users, db, user);
        var clientId = request.ClientId!;
        var amr = AuthenticationMethods.Read(session.Principal);
        var denial = await policy.EvaluateAsync(clientId, claims, AuthenticationMethods.HasSecondFactor(amr),
            context.RequestAborted);
        if (denial is { NeedsMfa: true })
        {
            // Step-up: the session is password-only and this application wants more; the code (or enrollment)
            // page comes back here. OpenID Connect Core 1.0, section 3.1.2.6: no UI with prompt=none.
            audit.Authorization(context, claims.PreferredUsername, clientId, "step-up", denial.Reason);
            return request.HasPromptValue(PromptValues.None)
                ? Forbid(Errors.InteractionRequired, "The application requires a second factor.")
                : Results.LocalRedirect(MfaEndpoints.VerifyUrl(RedirectWithoutPrompt(context)));
        }
        if (denial is not null)
        {
            audit.Authorization(context, claims.PreferredUsername, clientId, "denied", denial.Reason);
            return NoAccess(denial, claims.PreferredUsername);
        }

        audit.Authorization(context, claims.PreferredUsername, clientId, "granted", null);
        var identity = claims.ToIdentity(request.GetScopes(), OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = new ClaimsPrincipal(identity);
        principal.SetScopes(request.GetScopes());
        principal.SetClaim(Claims.AuthenticationTime, AuthenticatedAt(session)?.ToUnixTimeSeconds());
        AuthenticationMethods.AddToTokens(principal, amr.Count > 0 ? amr : AuthenticationMethods.PasswordOnly);
        return Results.SignIn(principal, properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult NoAccess(AccessDenial denial, string user) => Html.Page("No access",
        Html.Paragraph($"You are signed in as {user}, but you cannot use {denial.ApplicationName}.") +
        Html.Paragraph(denial.Reason) +
        Html.Paragraph("Ask an administrator to add you to a group that may use it.") +
        $"<p><a href=\"{AccountEndpoints.LogoutPath}\">Sign in as someone else</a></p>",
        StatusCodes.Status403Forbidden);

    internal static IResult Forbid(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);

    private static bool TooOld(AuthenticateResult session, OpenIddictRequest request) =>
        request.MaxAge is { } maxAge && AuthenticatedAt(session) is { } at
        && DateTimeOffset.UtcNow - at > TimeSpan.FromSeconds(maxAge);

    private static DateTimeOffset? AuthenticatedAt(AuthenticateResult session) => session.Properties?.IssuedUtc;

    // After signing in, come back to the same request without prompt=login (or it would loop).
    private static string RedirectWithoutPrompt(HttpContext context)
    {
        var parameters = context.Request.HasFormContentType
            ? context.Request.Form.Select(p => KeyValuePair.Create(p.Key, p.Value))
            : context.Request.Query.Select(p => KeyValuePair.Create(p.Key, p.Value));
        var kept = parameters.Where(p => p.Key != Parameters.Prompt)
            .ToDictionary(p => p.Key, p => (StringValues)p.Value);
        return context.Request.PathBase + context.Request.Path + QueryString.Create(kept);
    }
}
