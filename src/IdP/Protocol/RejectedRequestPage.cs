using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Pages;

namespace SsoOperator.IdP.Protocol;

/// <summary>
/// The page for a request OpenIddict refused and will not send back to the application (error passthrough):
/// what went wrong in plain words, and which field of the Provider fixes it. Status 400, as OpenIddict's own.
/// </summary>
public static class RejectedRequestPage
{
    private const string ExactMatch = "The match is exact: a trailing slash, http instead of https, another port " +
        "or other letter case make a different URI.";

    /// <summary>The error OpenIddict passed through to the endpoint; null when it accepted the request.</summary>
    public static OpenIddictResponse? ErrorOf(HttpContext context) =>
        context.GetOpenIddictServerResponse() is { Error.Length: > 0 } response ? response : null;

    /// <summary>
    /// Explains a refused authorization request. The cause is re-derived from the configuration rather than
    /// from OpenIddict's wording: an unknown client_id first, then an unregistered redirect_uri, else the error.
    /// </summary>
    public static async Task<IResult> AuthorizationAsync(HttpContext context, OpenIddictResponse error,
        IOpenIddictApplicationManager clients, Audit audit)
    {
        var request = context.GetOpenIddictServerRequest();
        var (clientId, redirectUri, ct) = (request?.ClientId, request?.RedirectUri, context.RequestAborted);
        var client = string.IsNullOrEmpty(clientId) ? null : await clients.FindByClientIdAsync(clientId, ct);

        if (client is null && !string.IsNullOrEmpty(clientId))
        {
            audit.Authorization(context, "-", clientId, "rejected", "unknown-client");
            return UnknownClient(clientId, error);
        }
        if (client is not null && !string.IsNullOrEmpty(redirectUri)
            && !await clients.ValidateRedirectUriAsync(client, redirectUri, ct))
        {
            audit.Authorization(context, "-", clientId!, "rejected", "unregistered-redirect-uri");
            return UnregisteredRedirectUri(clientId!, redirectUri, error);
        }
        audit.Authorization(context, "-", clientId ?? "-", "rejected", error.Error);
        return Page("Sign-in request refused",
            Html.Paragraph("The application's sign-in request was refused, so SsoOperator shows the error here " +
                "instead of sending you back to the application.") +
            Html.Paragraph("If you manage the application, the error below names what to correct in its " +
                "settings or in the link it sent you to."), error);
    }

    /// <summary>Explains a refused end-session request; the user stays signed in.</summary>
    public static async Task<IResult> EndSessionAsync(HttpContext context, OpenIddictResponse error,
        IOpenIddictApplicationManager clients)
    {
        var uri = context.GetOpenIddictServerRequest()?.PostLogoutRedirectUri;
        if (!string.IsNullOrEmpty(uri) && !await IsPostLogoutRedirectUriAsync(clients, uri, context.RequestAborted))
        {
            return Page("Sign-out address not registered",
                Html.ParagraphWithCode("An application asked SsoOperator to sign you out and then send you to {0}. " +
                    "That address is not registered for any application, so SsoOperator will not send you " +
                    "there. You are still signed in.", uri) +
                Html.ParagraphWithCode("If you manage the application: list this URI exactly in its Provider's " +
                    "{0}, or correct the address the application sends. " + ExactMatch,
                    "spec.oauth2.postLogoutRedirectUris") +
                SignOutLink, error);
        }
        return Page("Sign-out request refused",
            Html.Paragraph("The application's sign-out request was refused. You are still signed in.") +
            SignOutLink, error);
    }

    private const string SignOutLink = "<p><a href=\"" + AccountEndpoints.LogoutPath + "\">Sign out anyway</a></p>";

    private static IResult UnknownClient(string clientId, OpenIddictResponse error) =>
        Page("Unknown application",
            Html.ParagraphWithCode("The sign-in request comes from an application with the client ID {0}, but " +
                "no application with that client ID is registered here.", clientId) +
            Html.ParagraphWithCode("If you manage the application: no Provider has {0} (or, where that is not " +
                "set, the name) {1}. Correct the client ID in the application's settings, or create the Provider.",
                "spec.oauth2.clientId", clientId), error);

    private static IResult UnregisteredRedirectUri(string clientId, string redirectUri, OpenIddictResponse error) =>
        Page("Sign-in address not registered",
            Html.ParagraphWithCode("The application {0} asked SsoOperator to send you back to {1} after sign-in. " +
                "That address is not registered for it, so SsoOperator will not send you there.",
                clientId, redirectUri) +
            Html.ParagraphWithCode("If you manage the application: list this URI exactly in its Provider's {0}, " +
                "or correct the redirect URI the application sends. " + ExactMatch, "spec.oauth2.redirectUris"),
            error);

    // Note: the post-logout URI may belong to another client than the one that asked; any registration counts
    // here, and a URI registered elsewhere falls through to the generic page with OpenIddict's description.
    private static async Task<bool> IsPostLogoutRedirectUriAsync(
        IOpenIddictApplicationManager clients, string uri, CancellationToken ct)
    {
        await foreach (var _ in clients.FindByPostLogoutRedirectUriAsync(uri, ct))
        {
            return true;
        }
        return false;
    }

    // The error as the specs name its parameters, for whoever searches for it or files a bug.
    private static IResult Page(string title, string body, OpenIddictResponse error) => Html.Page(title,
        body + Html.Preformatted($"error: {error.Error}", $"error_description: {error.ErrorDescription}"),
        StatusCodes.Status400BadRequest);
}
