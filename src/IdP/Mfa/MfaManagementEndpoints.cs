using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Mfa;

/// <summary>
/// The user's own two-factor page: new recovery codes and removing the authenticator, each after the password
/// again, and only in a session that already passed a second factor (a password alone must not be enough to
/// replace the authenticator).
/// </summary>
public static class MfaManagementEndpoints
{
    public const string Path = "/account/mfa";
    public const string RecoveryCodesPath = "/account/mfa/recovery-codes";
    public const string RemovePath = "/account/mfa/remove";

    public static void MapMfaManagement(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, PageAsync);
        app.MapPost(RecoveryCodesPath, RegenerateAsync).DisableAntiforgery();
        app.MapPost(RemovePath, RemoveAsync).DisableAntiforgery();
    }

    private static async Task<IResult> PageAsync(
        HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa, MfaStore store)
    {
        if (await RequireSecondFactorAsync(context, mfa) is not { } user)
        {
            return StepUp(context);
        }
        return await Page(context, antiforgery, store, user, null, StatusCodes.Status200OK);
    }

    private static Task<IResult> RegenerateAsync(HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa,
        MfaStore store, UserManager<IdpUser> users, IOptions<IdpOptions> options, Audit audit) =>
        WithPasswordAsync(context, antiforgery, mfa, store, users, async user =>
        {
            var codes = await store.NewRecoveryCodesAsync(user.Id, options.Value.Mfa.RecoveryCodeCount,
                context.RequestAborted);
            audit.SignIn(context, user.UserName ?? user.Id, "recovery-codes-regenerated");
            return MfaPages.RecoveryCodesShown(codes, Path, "The old recovery codes no longer work.");
        });

    private static Task<IResult> RemoveAsync(HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa,
        MfaStore store, UserManager<IdpUser> users, SignInManager<IdpUser> signIn, Audit audit) =>
        WithPasswordAsync(context, antiforgery, mfa, store, users, async user =>
        {
            await store.RemoveAsync(user.Id, context.RequestAborted);
            await users.SetTwoFactorEnabledAsync(user, false);
            // The session no longer rests on a device the user still has: it continues as password-only.
            await signIn.SignInWithClaimsAsync(user, isPersistent: false,
                AuthenticationMethods.SessionClaims(AuthenticationMethods.PasswordOnly));
            audit.SignIn(context, user.UserName ?? user.Id, "device-removed");
            return Html.Page("Authenticator removed", Html.Paragraph(
                "The authenticator and its recovery codes are removed. Where a second factor is required, " +
                "you will set up a new one at your next sign-in.") + $"<p><a href=\"{Path}\">Back</a></p>");
        });

    private static async Task<IResult> WithPasswordAsync(HttpContext context, IAntiforgery antiforgery,
        MfaSignIn mfa, MfaStore store, UserManager<IdpUser> users, Func<IdpUser, Task<IResult>> action)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return MfaEndpoints.FormExpired();
        }
        if (await RequireSecondFactorAsync(context, mfa) is not { } user)
        {
            return StepUp(context);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var checkedPassword = await mfa.CheckPasswordAsync(user, form["password"].ToString(), context.RequestAborted);
        if (!checkedPassword.Succeeded)
        {
            var message = checkedPassword.IsLockedOut
                ? "Too many failed attempts. This account is locked for a few minutes."
                : "The password is not correct.";
            return await Page(context, antiforgery, store, user, message, StatusCodes.Status401Unauthorized);
        }
        return await action(user);
    }

    private static async Task<IdpUser?> RequireSecondFactorAsync(HttpContext context, MfaSignIn mfa) =>
        await mfa.CurrentAsync(context) is { Pending: false } current
            && AuthenticationMethods.HasSecondFactor(current.Amr) ? current.User : null;

    // Signed in with a password only (or not at all): the code page first, which sends on to sign-in if needed.
    private static IResult StepUp(HttpContext context) => context.User.Identity?.IsAuthenticated == true
        ? Results.LocalRedirect(MfaEndpoints.VerifyUrl(Path))
        : Results.LocalRedirect($"{AccountEndpoints.LoginPath}?returnUrl={Uri.EscapeDataString(Path)}");

    private static async Task<IResult> Page(HttpContext context, IAntiforgery antiforgery, MfaStore store,
        IdpUser user, string? error, int status)
    {
        var device = await store.ConfirmedDeviceAsync(user.Id, context.RequestAborted);
        if (device is null)
        {
            return Html.Page("Two-factor sign-in", Html.Alert(error) +
                Html.Paragraph("No authenticator app is set up for this account.") +
                $"<p><a href=\"{Html.Encode(MfaEndpoints.EnrollUrl(Path))}\">Set one up</a></p>", status);
        }
        var unused = await store.UnusedRecoveryCodesAsync(user.Id, context.RequestAborted);
        var password = Html.Field("password", "Your password, to confirm", "password", "current-password",
            invalid: error is not null);
        return Html.Page("Two-factor sign-in", Html.Alert(error) +
            Html.Paragraph($"An authenticator app is set up since {device.ConfirmedAt:yyyy-MM-dd}. " +
                $"{unused} unused recovery codes are left.") +
            "<h2>New recovery codes</h2>" +
            Html.Form(context, antiforgery, RecoveryCodesPath, password, "Make new recovery codes") +
            "<h2>Remove the authenticator</h2>" +
            Html.Paragraph("Do this when you change phones; you will set up the new one afterwards.") +
            Html.Form(context, antiforgery, RemovePath, password.Replace("id=\"password\"", "id=\"password-remove\"",
                StringComparison.Ordinal).Replace("for=\"password\"", "for=\"password-remove\"",
                StringComparison.Ordinal), "Remove authenticator"), status);
    }
}
