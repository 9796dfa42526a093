using Microsoft.AspNetCore.WebUtilities;
using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Oidc;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Gate;

/// <summary>
/// The outpost's own paths under /outpost/ on every app host: sign-in start, the OIDC callback,
/// sign-out. They work the same when reached directly and when an ingress relays them as forward-auth.
/// </summary>
public sealed partial class OutpostRoutes(SignInFlow signIn, IdpClient idp, SessionCookies cookies,
    ILogger<OutpostRoutes> logger)
{
    /// <summary>True when the request was one of the outpost's paths and has been answered.</summary>
    public async Task<bool> TryHandleAsync(HttpContext context, GateRequest request)
    {
        switch (request.Url.AbsolutePath)
        {
            case OutpostPaths.Start:
                await StartAsync(context, request).ConfigureAwait(false);
                return true;
            case OutpostPaths.Callback:
                await CallbackAsync(context, request).ConfigureAwait(false);
                return true;
            case OutpostPaths.SignOut:
                await SignOutAsync(context, request).ConfigureAwait(false);
                return true;
            case OutpostPaths.SignedOut:
                await Pages.SignedOutAsync(context).ConfigureAwait(false);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Sends a browser to the IdP; the place to come back to is the request URL itself.</summary>
    public async Task ChallengeAsync(HttpContext context, GateRequest request, Uri returnUrl)
    {
        Uri target;
        try
        {
            target = await signIn.StartAsync(context, request.Config, request.App, returnUrl.AbsoluteUri)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (IsIdpUnreachable(e))
        {
            await IdpUnreachableAsync(context, request, e).ConfigureAwait(false);
            return;
        }
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect(target.AbsoluteUri);
    }

    /// <summary>
    /// /outpost/start?rd=URL: where nginx's error_page sends a browser that has no session. Without rd,
    /// the X-Original-URL header names the page (nginx keeps $request_uri across the internal redirect).
    /// </summary>
    private async Task StartAsync(HttpContext context, GateRequest request)
    {
        if (!request.IsPageLoad)
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        var rd = Query(request)["rd"].ToString();
        if (rd.Length == 0)
        {
            rd = context.Request.Headers["X-Original-URL"].ToString();
        }
        await ChallengeAsync(context, request, SafeReturnUrl(request, rd)).ConfigureAwait(false);
    }

    private async Task CallbackAsync(HttpContext context, GateRequest request)
    {
        try
        {
            var outcome = await signIn.CompleteAsync(context, request.Config, request.App, Query(request))
                .ConfigureAwait(false);
            if (outcome.Decision != AccessDecision.Allowed)
            {
                await Pages.DeniedAsync(context, DeniedMessage(outcome.Decision)).ConfigureAwait(false);
                return;
            }
            context.Response.Redirect(SafeReturnUrl(request, outcome.ReturnUrl).AbsoluteUri);
        }
        catch (SignInException e)
        {
            LogRejected(logger, request.App.Slug, request.App.ClientId, e.Reason, context.TraceIdentifier);
            await Pages.SignInFailedAsync(context, e.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (IsIdpUnreachable(e))
        {
            await IdpUnreachableAsync(context, request, e).ConfigureAwait(false);
        }
    }

    /// <summary>Discovery or token calls that failed on the network (or timed out): the IdP is down.</summary>
    private static bool IsIdpUnreachable(Exception e) =>
        e is HttpRequestException or TaskCanceledException ||
        (e is InvalidOperationException && e.InnerException is not null && IsIdpUnreachable(e.InnerException)) ||
        (e is InvalidOperationException && e.Message.StartsWith("IDX20803", StringComparison.Ordinal));

    private Task IdpUnreachableAsync(HttpContext context, GateRequest request, Exception e)
    {
        LogIdpUnreachable(logger, request.App.Slug, request.Config.Idp.IdpUrl, e.GetType().Name, e.Message);
        return Pages.WriteAsync(context, StatusCodes.Status502BadGateway, "Sign-in unavailable",
            "The sign-in service cannot be reached right now. Try again in a moment.");
    }

    /// <summary>Ends the outpost session and then the IdP's (RP-Initiated Logout 1.0, with id_token_hint).</summary>
    private async Task SignOutAsync(HttpContext context, GateRequest request)
    {
        var session = cookies.ReadSession(context, request.Config, request.App);
        cookies.DeleteSession(context, request.Config, request.App);
        LogSignedOut(logger, request.App.Slug, session?.Subject);
        Uri? endSession = null;
        try
        {
            endSession = await idp.EndSessionUrlAsync(request.Config.Idp, request.App, session?.IdToken,
                context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (IsIdpUnreachable(e))
        {
            // Note: the outpost session is gone either way; the IdP's ends at its own expiry.
            LogIdpUnreachable(logger, request.App.Slug, request.Config.Idp.IdpUrl, e.GetType().Name, e.Message);
        }
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Redirect((endSession ?? request.App.PostLogoutRedirectUri).AbsoluteUri);
    }

    public static string DeniedMessage(AccessDecision decision) => decision == AccessDecision.MfaRequired
        ? "This application requires a sign-in with a second factor. Sign out and sign in again with it."
        : "Your account is not allowed to use this application.";

    /// <summary>
    /// A return URL on the app's host (or cookie domain), else the app's root: no open redirect. A path
    /// (ingress-nginx sends rd=$escaped_request_uri) is taken on the host of the request.
    /// </summary>
    private static Uri SafeReturnUrl(GateRequest request, string candidate)
    {
        var isPath = candidate.StartsWith('/') && !candidate.StartsWith("//", StringComparison.Ordinal) &&
                     !candidate.StartsWith("/\\", StringComparison.Ordinal);
        var url = isPath ? new Uri(request.Url, candidate)
            : Uri.TryCreate(candidate, UriKind.Absolute, out var absolute) ? absolute : null;
        return url is not null && request.App.OwnsUrl(url) ? url : request.App.ExternalHost;
    }

    private static QueryCollection Query(GateRequest request) => new(QueryHelpers.ParseQuery(request.Url.Query));

    [LoggerMessage(31, LogLevel.Information,
        "Sign-in to {App} (client {ClientId}) rejected: {Reason}, request {RequestId}")]
    private static partial void LogRejected(ILogger logger, string app, string clientId, string reason,
        string requestId);

    [LoggerMessage(33, LogLevel.Warning, "The IdP at {IdpUrl} cannot be reached for app {App}: {Error} {Reason}")]
    private static partial void LogIdpUnreachable(ILogger logger, string app, Uri idpUrl, string error,
        string reason);

    [LoggerMessage(32, LogLevel.Information, "Signed out of {App}: {Subject}")]
    private static partial void LogSignedOut(ILogger logger, string app, string? subject);
}
