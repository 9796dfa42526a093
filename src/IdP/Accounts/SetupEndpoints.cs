using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>The page behind the one-time setup link.</summary>
public static class SetupEndpoints
{
    public static void MapSetupEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(SetupLinks.Path, async (HttpContext context, IAntiforgery antiforgery, SetupLinks links,
            string? token) => await links.IsValidAsync(token, context.RequestAborted)
                ? Form(context, antiforgery, token, null, null, [])
                : Expired());
        app.MapPost(SetupLinks.Path, CompleteAsync).DisableAntiforgery();
    }

    private static async Task<IResult> CompleteAsync(
        HttpContext context, IAntiforgery antiforgery, SetupLinks links, SignInManager<IdpUser> signIn,
        MfaSignIn mfa)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return Html.Page("Set up SsoOperator", Html.Alert("The form expired; open the setup link again."), 400);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        string token = form["token"].ToString(), userName = form["username"].ToString();
        string email = form["email"].ToString(), password = form["password"].ToString();
        if (password != form["confirm"].ToString())
        {
            return Form(context, antiforgery, token, userName, email, ["The passwords do not match."]);
        }

        var (user, errors) = await links.CompleteAsync(token, userName, email, password, context.RequestAborted);
        if (user is null)
        {
            return await links.IsValidAsync(token, context.RequestAborted)
                ? Form(context, antiforgery, token, userName, email, errors)
                : Expired();
        }
        if (await mfa.IsRequiredAsync(user, "/", context.RequestAborted))
        {
            // MFA applies to the first administrator too: enrollment before any session.
            await mfa.StartPendingAsync(context, user);
            return Results.LocalRedirect(MfaEndpoints.EnrollUrl("/"));
        }
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            AuthenticationMethods.SessionClaims(AuthenticationMethods.PasswordOnly));
        return Html.Page("Welcome", Html.Paragraph($"The administrator {userName} was created and is signed in.") +
            "<p><a href=\"/\">Continue</a></p>");
    }

    private static IResult Form(HttpContext context, IAntiforgery antiforgery, string? token, string? userName,
        string? email, IReadOnlyList<string> errors)
    {
        var invalid = errors.Count > 0;
        var fields = Html.Hidden("token", token) +
            Html.Field("username", "Administrator user name", "text", "username", userName, invalid) +
            Html.Field("email", "Email", "email", "email", email, invalid) +
            Html.Field("password", "Password", "password", "new-password", invalid: invalid) +
            Html.Field("confirm", "Confirm password", "password", "new-password", invalid: invalid);
        return Html.Page("Set up SsoOperator",
            Html.Alert(invalid ? string.Join(" ", errors) : null) +
            Html.Paragraph("Create the first administrator. This link works once.") +
            Html.Form(context, antiforgery, SetupLinks.Path, fields, "Create administrator"),
            invalid ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK);
    }

    private static IResult Expired() => Html.Page("Set up SsoOperator",
        Html.Alert("This setup link has expired or was already used."), StatusCodes.Status410Gone);
}
