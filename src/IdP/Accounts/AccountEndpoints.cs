using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Federation;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>The sign-in and sign-out pages and the start page.</summary>
public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/", Portal.HomeAsync);
        app.MapGet(LoginPath, (HttpContext context, IAntiforgery antiforgery, IdpDbContext db, string? returnUrl) =>
            LoginPageAsync(context, antiforgery, db, LocalOrRoot(returnUrl), null, null));
        app.MapPost(LoginPath, LoginAsync).DisableAntiforgery();
        app.MapGet(LogoutPath, (HttpContext context, IAntiforgery antiforgery) => Html.Page("Sign out",
            Html.Paragraph("Sign out of SsoOperator on this device?") +
            Html.Form(context, antiforgery, LogoutPath, string.Empty, "Sign out")));
        app.MapPost(LogoutPath, LogoutAsync).DisableAntiforgery();
    }

    // The password form, then one link per federated source (read from the database, no issuer is contacted).
    private static async Task<IResult> LoginPageAsync(HttpContext context, IAntiforgery antiforgery, IdpDbContext db,
        string returnUrl, string? userName, string? error, int status = StatusCodes.Status200OK)
    {
        var fields = Html.Hidden("returnUrl", returnUrl) +
            Html.Field("username", "User name", "text", "username", userName, invalid: error is not null) +
            Html.Field("password", "Password", "password", "current-password", invalid: error is not null);
        var sources = await FederationPages.SourceLinksAsync(db, returnUrl, context.RequestAborted);
        return Html.Page("Sign in",
            Html.Alert(error) + Html.Form(context, antiforgery, LoginPath, fields, "Sign in") + sources, status);
    }

    private static async Task<IResult> LoginAsync(
        HttpContext context, IAntiforgery antiforgery, SignInManager<IdpUser> signIn, MfaSignIn mfa, Audit audit,
        IdpDbContext db)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Html.Page("Sign in", Html.Alert("The form expired; please go back and try again."), 400);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var userName = form["username"].ToString();
        var returnUrl = LocalOrRoot(form["returnUrl"].ToString());

        var user = await signIn.UserManager.FindByNameAsync(userName);
        var result = user is null || user.IsDisabled
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await mfa.CheckPasswordAsync(user, form["password"].ToString(), context.RequestAborted);
        if (result.Succeeded)
        {
            audit.SignIn(context, userName, "succeeded");
            // The session, or (when a second factor is required) the code or enrollment page first.
            return await mfa.ContinueAfterPasswordAsync(context, user!, returnUrl, context.RequestAborted);
        }

        var outcome = result.IsLockedOut ? "locked-out" : "failed";
        audit.SignIn(context, userName, outcome);
        var message = result.IsLockedOut
            ? "Too many failed attempts. This account is locked for a few minutes; try again later."
            : "The user name or password is not correct.";
        return await LoginPageAsync(context, antiforgery, db, returnUrl, userName, message,
            StatusCodes.Status401Unauthorized);
    }

    private static async Task<IResult> LogoutAsync(
        HttpContext context, IAntiforgery antiforgery, SignInManager<IdpUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Html.Page("Sign out", Html.Alert("The form expired; please go back and try again."), 400);
        }
        await signIn.SignOutAsync();
        return Html.Page("Signed out", Html.Paragraph("You are signed out of SsoOperator."));
    }

    // Only local return URLs: anything else would make the sign-in page an open redirector.
    internal static string LocalOrRoot(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
            && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
