using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Protocol;
using SsoOperator.IdP.Store;
using IdentitySignInResult = Microsoft.AspNetCore.Identity.SignInResult;

namespace SsoOperator.IdP.Mfa;

/// <summary>Who is at the second step: a user between password and code, or one signed in who steps up.</summary>
public sealed record SecondStepUser(IdpUser User, bool Pending, IReadOnlyList<string> Amr);

/// <summary>
/// The sign-in sequence around the second factor. After the password, either the session starts (MFA not
/// required) or only a short-lived "pending" cookie naming the user is set, and the user goes on to the code
/// page, or to enrollment when they have no authenticator yet. No session exists before the second factor.
/// </summary>
public sealed class MfaSignIn(
    SignInManager<IdpUser> signIn, MfaStore store, AccessPolicy policy, IdpDbContext db,
    IOptions<IdpOptions> options)
{
    private UserManager<IdpUser> Users => signIn.UserManager;

    /// <summary>
    /// Checks the password with lockout. Unlike SignInManager's check, a correct password does not clear failed
    /// attempts while the user has an authenticator, so codes cannot be guessed in endless rounds of four.
    /// </summary>
    public async Task<IdentitySignInResult> CheckPasswordAsync(IdpUser user, string password, CancellationToken ct)
    {
        if (await Users.IsLockedOutAsync(user))
        {
            return IdentitySignInResult.LockedOut;
        }
        if (await Users.CheckPasswordAsync(user, password))
        {
            if (await store.ConfirmedDeviceAsync(user.Id, ct) is null)
            {
                await Users.ResetAccessFailedCountAsync(user);
            }
            return IdentitySignInResult.Success;
        }
        await Users.AccessFailedAsync(user);
        return await Users.IsLockedOutAsync(user) ? IdentitySignInResult.LockedOut : IdentitySignInResult.Failed;
    }

    /// <summary>After a correct password: the session, or the way to the second step.</summary>
    public Task<IResult> ContinueAfterPasswordAsync(
        HttpContext context, IdpUser user, string returnUrl, CancellationToken ct) =>
        ContinueAfterFirstFactorAsync(context, user, returnUrl, AuthenticationMethods.PasswordOnly, ct);

    /// <summary>
    /// After the first factor (a password, or a federated sign-in, named by <paramref name="amr"/>): the session,
    /// or the way to the second step, which the same rules require whatever the first factor was.
    /// </summary>
    public async Task<IResult> ContinueAfterFirstFactorAsync(
        HttpContext context, IdpUser user, string returnUrl, IReadOnlyList<string> amr, CancellationToken ct)
    {
        if (!await IsRequiredAsync(user, returnUrl, ct))
        {
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, AuthenticationMethods.SessionClaims(amr));
            return Results.LocalRedirect(returnUrl);
        }
        await StartPendingAsync(context, user, amr);
        return Results.LocalRedirect(MfaEndpoints.VerifyUrl(returnUrl));
    }

    /// <summary>Whether this sign-in needs a second factor: always under `Everyone`, else per application.</summary>
    public async Task<bool> IsRequiredAsync(IdpUser user, string returnUrl, CancellationToken ct)
    {
        if (options.Value.Mfa.Policy == MfaPolicy.Everyone)
        {
            return true;
        }
        if (ClientIdOf(returnUrl) is not { } clientId)
        {
            return false;
        }
        var claims = await UserClaims.LoadAsync(Users, db, user);
        var denial = await policy.EvaluateAsync(clientId, claims, signedInWithMfa: false, ct);
        return denial is { NeedsMfa: true };
    }

    /// <summary>
    /// Sets the pending cookie: it names the user and how the first step was passed, nothing else; only the MFA
    /// pages read it.
    /// </summary>
    public async Task StartPendingAsync(HttpContext context, IdpUser user, IReadOnlyList<string>? amr = null)
    {
        // The same claims SignInManager stores for its own two-factor step, so its validator understands them.
        var identity = new ClaimsIdentity(IdentityConstants.TwoFactorUserIdScheme);
        identity.AddClaim(new Claim(ClaimTypes.Name, user.Id));
        identity.AddClaim(new Claim(signIn.Options.ClaimsIdentity.SecurityStampClaimType,
            await Users.GetSecurityStampAsync(user)));
        identity.AddClaims((amr ?? AuthenticationMethods.PasswordOnly)
            .Select(value => new Claim(AuthenticationMethods.AmrClaim, value)));
        await context.SignInAsync(IdentityConstants.TwoFactorUserIdScheme, new ClaimsPrincipal(identity));
    }

    /// <summary>The user at the second step, or null when there is none (send them to the sign-in page).</summary>
    public async Task<SecondStepUser?> CurrentAsync(HttpContext context)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is { IsDisabled: false } pending)
        {
            var step = await context.AuthenticateAsync(IdentityConstants.TwoFactorUserIdScheme);
            var firstFactor = AuthenticationMethods.Read(step.Principal);
            return new SecondStepUser(pending, Pending: true,
                firstFactor.Count > 0 ? firstFactor : AuthenticationMethods.PasswordOnly);
        }
        var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        return session.Succeeded && await Users.GetUserAsync(session.Principal) is { IsDisabled: false } user
            ? new SecondStepUser(user, Pending: false, AuthenticationMethods.Read(session.Principal))
            : null;
    }

    /// <summary>
    /// The second factor passed: the session starts (or is upgraded) with the first factor's amr plus otp
    /// (pwd + otp after a password, fed + otp after a federated sign-in).
    /// </summary>
    public async Task CompleteAsync(HttpContext context, SecondStepUser current)
    {
        ArgumentNullException.ThrowIfNull(current);
        var user = current.User;
        await Users.ResetAccessFailedCountAsync(user);
        await signIn.SignInWithClaimsAsync(user, isPersistent: false,
            AuthenticationMethods.SessionClaims(AuthenticationMethods.WithOneTimePassword(current.Amr)));
        await context.SignOutAsync(IdentityConstants.TwoFactorUserIdScheme);
    }

    // The sign-in page comes back to /connect/authorize?client_id=...; that names the application.
    private static string? ClientIdOf(string returnUrl)
    {
        var queryStart = returnUrl.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? returnUrl : returnUrl[..queryStart];
        if (queryStart < 0 || !string.Equals(path, AuthorizationEndpoint.Path, StringComparison.Ordinal))
        {
            return null;
        }
        return QueryHelpers.ParseQuery(returnUrl[queryStart..]).TryGetValue("client_id", out var id)
            ? id.ToString()
            : null;
    }
}
