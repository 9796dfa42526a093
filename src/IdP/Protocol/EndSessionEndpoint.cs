using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0). OpenIddict has already checked the
/// id_token_hint and that post_logout_redirect_uri is registered. With a valid hint the user is signed out at
/// once; without one they confirm first, so a third-party page cannot sign them out silently.
/// </summary>
public static class EndSessionEndpoint
{
    public const string Path = "/connect/endsession";
    private const string ConfirmField = "confirm";

    public static void MapEndSessionEndpoint(this IEndpointRouteBuilder app) =>
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], EndSessionAsync).DisableAntiforgery();

    private static async Task<IResult> EndSessionAsync(HttpContext context, IAntiforgery antiforgery,
        SignInManager<IdpUser> signIn, IOpenIddictApplicationManager clients)
    {
        // OpenID Connect RP-Initiated Logout 1.0, section 3: an unregistered post_logout_redirect_uri is not
        // redirected to. OpenIddict passes the error through; the user is told and stays signed in.
        if (RejectedRequestPage.ErrorOf(context) is { } error)
        {
            return await RejectedRequestPage.EndSessionAsync(context, error, clients);
        }

        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("OpenIddict did not attach the end-session request");
        var confirmed = HttpMethods.IsPost(context.Request.Method) && context.Request.HasFormContentType
            && context.Request.Form.ContainsKey(ConfirmField) && await antiforgery.IsRequestValidAsync(context);
        if (request.IdTokenHint is null && !confirmed)
        {
            return Confirm(context, antiforgery);
        }

        await signIn.SignOutAsync();
        if (request.PostLogoutRedirectUri is null)
        {
            return Html.Page("Signed out", Html.Paragraph("You are signed out of SsoOperator."));
        }
        // OpenIddict redirects to the (validated) post_logout_redirect_uri, with state.
        return Results.SignOut(new AuthenticationProperties(),
            [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
    }

    private static IResult Confirm(HttpContext context, IAntiforgery antiforgery)
    {
        var parameters = context.Request.HasFormContentType
            ? context.Request.Form.Select(p => (p.Key, Value: p.Value.ToString()))
            : context.Request.Query.Select(p => (p.Key, Value: p.Value.ToString()));
        var hidden = string.Concat(parameters
            .Where(p => p.Key is not ConfirmField && !p.Key.StartsWith("__", StringComparison.Ordinal))
            .Select(p => Html.Hidden(p.Key, p.Value)));
        return Html.Page("Sign out", Html.Paragraph("An application asked to sign you out of SsoOperator.") +
            Html.Form(context, antiforgery, Path, hidden + Html.Hidden(ConfirmField, "yes"), "Sign out"));
    }
}
