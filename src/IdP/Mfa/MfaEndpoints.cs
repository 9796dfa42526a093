using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Mfa;

/// <summary>The second step of a sign-in: enrollment (forced when required), the code page, recovery codes.</summary>
public static class MfaEndpoints
{
    public const string EnrollPath = "/account/mfa/enroll";
    public const string VerifyPath = "/account/mfa/verify";
    public const string RecoverPath = "/account/mfa/recover";

    private const string LockedMessage =
        "Too many failed attempts. This account is locked for a few minutes; try again later.";

    public static string EnrollUrl(string returnUrl) => WithReturnUrl(EnrollPath, returnUrl);

    public static string VerifyUrl(string returnUrl) => WithReturnUrl(VerifyPath, returnUrl);

    public static string RecoverUrl(string returnUrl) => WithReturnUrl(RecoverPath, returnUrl);

    public static void MapMfaEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(EnrollPath, EnrollPageAsync);
        app.MapPost(EnrollPath, EnrollAsync).DisableAntiforgery();
        app.MapGet(VerifyPath, VerifyPageAsync);
        app.MapPost(VerifyPath, VerifyAsync).DisableAntiforgery();
        app.MapPost(RecoverPath, RecoverAsync).DisableAntiforgery();
        app.MapMfaManagement();
    }

    private static async Task<IResult> EnrollPageAsync(HttpContext context, IAntiforgery antiforgery,
        MfaSignIn mfa, MfaStore store, IOptions<IdpOptions> options, string? returnUrl)
    {
        var back = AccountEndpoints.LocalOrRoot(returnUrl);
        if (await mfa.CurrentAsync(context) is not { } current)
        {
            return SignInAgain(back);
        }
        // Enrollment is only for a user without an authenticator; one that has it proves it instead.
        var device = await store.PendingDeviceAsync(current.User.Id, context.RequestAborted);
        return device is null
            ? Results.LocalRedirect(VerifyUrl(back))
            : EnrollForm(context, antiforgery, store, options.Value, current.User, device, back, null);
    }

    private static async Task<IResult> EnrollAsync(HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa,
        MfaStore store, IOptions<IdpOptions> options, UserManager<IdpUser> users, Audit audit, string? returnUrl)
    {
        var back = AccountEndpoints.LocalOrRoot(returnUrl);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired();
        }
        if (await mfa.CurrentAsync(context) is not { } current)
        {
            return SignInAgain(back);
        }
        var ct = context.RequestAborted;
        var user = current.User;
        if (await store.PendingDeviceAsync(user.Id, ct) is not { } device)
        {
            return Results.LocalRedirect(VerifyUrl(back));
        }

        var form = await context.Request.ReadFormAsync(ct);
        if (await users.IsLockedOutAsync(user)
            || !await store.TryAcceptCodeAsync(device, form["code"].ToString(), confirm: true, ct))
        {
            var error = await FailAsync(context, users, audit, user, "enrollment-failed");
            return EnrollForm(context, antiforgery, store, options.Value, user, device, back, error);
        }

        // Identity's flag makes the lockout count survive a correct password from now on (see MfaSignIn).
        await users.SetTwoFactorEnabledAsync(user, true);
        await mfa.CompleteAsync(context, current);
        audit.SignIn(context, user.UserName ?? user.Id, "enrolled");
        var codes = await store.NewRecoveryCodesAsync(user.Id, options.Value.Mfa.RecoveryCodeCount, ct);
        return MfaPages.RecoveryCodesShown(codes, back, "Your authenticator app is set up.");
    }

    private static async Task<IResult> VerifyPageAsync(HttpContext context, IAntiforgery antiforgery,
        MfaSignIn mfa, MfaStore store, string? returnUrl)
    {
        var back = AccountEndpoints.LocalOrRoot(returnUrl);
        if (await mfa.CurrentAsync(context) is not { } current)
        {
            return SignInAgain(back);
        }
        if (await store.ConfirmedDeviceAsync(current.User.Id, context.RequestAborted) is null)
        {
            return Results.LocalRedirect(EnrollUrl(back));
        }
        return MfaPages.Verify(context, antiforgery, back, null);
    }

    private static Task<IResult> VerifyAsync(HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa,
        MfaStore store, UserManager<IdpUser> users, Audit audit, string? returnUrl) =>
        SecondFactorAsync(context, antiforgery, mfa, users, audit, returnUrl, "code", async (user, value, ct) =>
            await store.ConfirmedDeviceAsync(user.Id, ct) is { } device
            && await store.TryAcceptCodeAsync(device, value, confirm: false, ct));

    private static Task<IResult> RecoverAsync(HttpContext context, IAntiforgery antiforgery, MfaSignIn mfa,
        MfaStore store, UserManager<IdpUser> users, Audit audit, string? returnUrl) =>
        SecondFactorAsync(context, antiforgery, mfa, users, audit, returnUrl, "recoveryCode",
            (user, value, ct) => store.TryUseRecoveryCodeAsync(user.Id, value, ct));

    // Both the TOTP code and a recovery code: lockout first, one attempt, failures counted, session on success.
    private static async Task<IResult> SecondFactorAsync(HttpContext context, IAntiforgery antiforgery,
        MfaSignIn mfa, UserManager<IdpUser> users, Audit audit, string? returnUrl, string field,
        Func<IdpUser, string, CancellationToken, Task<bool>> accept)
    {
        var back = AccountEndpoints.LocalOrRoot(returnUrl);
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FormExpired();
        }
        if (await mfa.CurrentAsync(context) is not { } current)
        {
            return SignInAgain(back);
        }
        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var user = current.User;
        if (await users.IsLockedOutAsync(user)
            || !await accept(user, form[field].ToString(), context.RequestAborted))
        {
            var error = await FailAsync(context, users, audit, user, $"{Outcome(field)}-failed");
            return MfaPages.Verify(context, antiforgery, back, error, StatusCodes.Status401Unauthorized);
        }
        await mfa.CompleteAsync(context, current);
        audit.SignIn(context, user.UserName ?? user.Id, $"{Outcome(field)}-succeeded");
        return Results.LocalRedirect(back);
    }

    private static string Outcome(string field) => field == "code" ? "otp" : "recovery-code";

    private static async Task<string> FailAsync(
        HttpContext context, UserManager<IdpUser> users, Audit audit, IdpUser user, string outcome)
    {
        if (!await users.IsLockedOutAsync(user))
        {
            await users.AccessFailedAsync(user);
        }
        var locked = await users.IsLockedOutAsync(user);
        audit.SignIn(context, user.UserName ?? user.Id, locked ? "locked-out" : outcome);
        return locked ? LockedMessage : "That code is not correct, or was already used. Try the next one.";
    }

    private static IResult EnrollForm(HttpContext context, IAntiforgery antiforgery, MfaStore store,
        IdpOptions options, IdpUser user, MfaDeviceRecord device, string returnUrl, string? error)
    {
        var secret = store.Secret(device);
        var uri = TotpCodes.OtpauthUri(options.Mfa.IssuerName, user.UserName ?? user.Id, secret);
        return MfaPages.Enroll(context, antiforgery, uri, TotpCodes.Base32(secret), returnUrl, error);
    }

    internal static IResult FormExpired() => Html.Page("Two-factor sign-in",
        Html.Alert("The form expired; please go back and try again."), StatusCodes.Status400BadRequest);

    // The pending step expired (or never began): the password comes first.
    private static IResult SignInAgain(string returnUrl) =>
        Results.LocalRedirect(WithReturnUrl(AccountEndpoints.LoginPath, returnUrl));

    private static string WithReturnUrl(string path, string returnUrl) =>
        QueryHelpers.AddQueryString(path, "returnUrl", returnUrl);
}
