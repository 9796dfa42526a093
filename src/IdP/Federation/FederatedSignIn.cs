using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>
/// The way back from a source's issuer: the response is checked against the flow cookie, the code redeemed, the
/// ID token validated, the hosted domain enforced and the user found, created or linked; then the sign-in goes
/// on exactly like a password sign-in (the second factor included), with amr "fed".
/// </summary>
public sealed partial class FederatedSignIn(
    IdpDbContext db, IssuerClient issuers, IdTokenValidator tokens, FederatedAccounts accounts,
    FederationCookies cookies, MfaSignIn mfa, UserManager<IdpUser> users, IAntiforgery antiforgery, Audit audit,
    IOptions<IdpOptions> options, ILogger<FederatedSignIn> logger)
{
    private static readonly IReadOnlyList<string> LinkedWithPassword =
        [AuthenticationMethods.Federated, AuthenticationMethods.Password];

    public async Task<IResult> CallbackAsync(HttpContext context, string slug)
    {
        // RFC 6749, section 10.12 and OpenID Connect Core 1.0, section 3.1.2.7: the state binds this response
        // to the request this browser made; the cookie is used up here, so a callback cannot be replayed.
        var query = context.Request.Query;
        var flow = cookies.TakeFlow(context);
        if (flow is null || flow.Slug != slug || !FixedTimeEquals(flow.State, query["state"].ToString()))
        {
            audit.Federation(context, "-", slug, "error", flow is null ? "no-flow-cookie" : "state-mismatch");
            return FederationPages.Expired(flow?.ReturnUrl ?? "/");
        }
        if (await FindSourceAsync(slug, context.RequestAborted) is not { } source)
        {
            audit.Federation(context, "-", slug, "error", "source-removed");
            return FederationPages.UnknownSource(flow.ReturnUrl);
        }

        // RFC 9207, section 2.4: an iss parameter in the response MUST name the issuer the request went to.
        if (query["iss"].ToString() is { Length: > 0 } iss && iss != source.Issuer)
        {
            audit.Federation(context, "-", slug, "error", "response-iss-mismatch");
            return FederationPages.Failed($"The answer did not come from {source.DisplayName}. Please start again.",
                flow.ReturnUrl, StatusCodes.Status400BadRequest);
        }

        // OpenID Connect Core 1.0, section 3.1.2.6: the issuer answered with an error instead of a code.
        if (query["error"].ToString() is { Length: > 0 } error)
        {
            var code = error.Length <= 64 ? error : error[..64];
            audit.Federation(context, "-", slug, "error", $"issuer-error:{code}");
            return FederationPages.IssuerError(source, code, flow.ReturnUrl);
        }
        return await AuthenticateAsync(context, source, flow, query["code"].ToString());
    }

    private async Task<IResult> AuthenticateAsync(
        HttpContext context, SourceRecord source, FederationFlow flow, string code)
    {
        ExternalIdentity identity;
        try
        {
            if (code.Length == 0)
            {
                throw new FederationException("no-code", $"{source.DisplayName} sent no authorization code.");
            }
            identity = await RedeemAsync(source, flow, code, context.RequestAborted);
        }
        catch (FederationException e)
        {
            audit.Federation(context, "-", source.Slug, "error", e.Reason);
            return FederationPages.Failed(e.Message, flow.ReturnUrl);
        }

        // Google documents the ID token's hd claim (not the email's domain) as the Workspace domain proof.
        if (source.HostedDomain is { Length: > 0 } domain
            && !string.Equals(identity.HostedDomain, domain, StringComparison.OrdinalIgnoreCase))
        {
            LogHostedDomainRefused(logger, source.Slug, identity.Subject, identity.HostedDomain ?? "(none)", domain);
            audit.Federation(context, Who(identity), source.Slug, "hosted-domain-refused",
                $"hd {identity.HostedDomain ?? "(none)"} is not {domain}");
            return FederationPages.HostedDomainRefused(source, domain, flow.ReturnUrl);
        }
        return await SignInAsync(context, source, identity, flow.ReturnUrl);
    }

    private async Task<ExternalIdentity> RedeemAsync(
        SourceRecord source, FederationFlow flow, string code, CancellationToken ct)
    {
        var configuration = await issuers.DiscoverAsync(source, ct);
        var redirectUri = FederationEndpoints.RedirectUri(options.Value.Issuer!, source.Slug);
        var issued = await issuers.RedeemAsync(source, configuration, code, flow.Verifier, redirectUri, ct);
        var identity = await tokens.ValidateAsync(source, configuration, issued.IdToken, flow.Nonce, ct);
        return identity.Email is null && issued.AccessToken is { } accessToken
            ? await issuers.CompleteFromUserInfoAsync(source, configuration, identity, accessToken, ct)
            : identity;
    }

    private async Task<IResult> SignInAsync(
        HttpContext context, SourceRecord source, ExternalIdentity identity, string returnUrl)
    {
        AccountMatch match;
        try
        {
            match = await accounts.FindOrCreateAsync(source, identity, context.RequestAborted);
        }
        catch (FederationException e)
        {
            audit.Federation(context, Who(identity), source.Slug, "error", e.Reason);
            return FederationPages.Failed(e.Message, returnUrl, StatusCodes.Status403Forbidden);
        }
        var user = match.User;
        switch (match.Outcome)
        {
            case AccountOutcome.NotKnown:
                audit.Federation(context, Who(identity), source.Slug, "not-known", "the source creates no users");
                return FederationPages.NotKnown(source, returnUrl);
            case AccountOutcome.Disabled:
                audit.Federation(context, user!.UserName!, source.Slug, "disabled", "the linked user is disabled");
                return FederationPages.Disabled(returnUrl);
            case AccountOutcome.LinkRequired:
                return await OfferLinkAsync(context, source, identity, user!, returnUrl);
        }

        var outcome = match.Outcome == AccountOutcome.Created ? "created" : "succeeded";
        audit.Federation(context, user!.UserName!, source.Slug, outcome, Who(identity));
        return await mfa.ContinueAfterFirstFactorAsync(context, user, returnUrl, AuthenticationMethods.FederatedOnly,
            context.RequestAborted);
    }

    // Only the account's own password links it; an account without one (itself federated) cannot be linked here.
    private async Task<IResult> OfferLinkAsync(
        HttpContext context, SourceRecord source, ExternalIdentity identity, IdpUser user, string returnUrl)
    {
        if (!await users.HasPasswordAsync(user))
        {
            audit.Federation(context, user.UserName!, source.Slug, "not-known",
                "a user without a password has this email");
            return FederationPages.LinkImpossible(source, returnUrl);
        }
        cookies.WriteLink(context, new PendingLink(source.Slug, identity.Issuer, identity.Subject, user.Id,
            returnUrl));
        audit.Federation(context, user.UserName!, source.Slug, "link-required", "a user has this email");
        return FederationPages.LinkForm(context, antiforgery, source, user, null);
    }

    /// <summary>The password of the account with the same email: correct, the identity is linked to it.</summary>
    public async Task<IResult> LinkAsync(HttpContext context)
    {
        if (!await antiforgery.IsRequestValidAsync(context))
        {
            return FederationPages.Failed("The form expired; please start again.", "/", 400);
        }
        var link = cookies.ReadLink(context);
        var source = link is null ? null : await FindSourceAsync(link.Slug, context.RequestAborted);
        var user = link is null ? null : await users.FindByIdAsync(link.UserId);
        if (link is null || source is null || user is null || user.IsDisabled)
        {
            audit.Federation(context, user?.UserName ?? "-", link?.Slug ?? "-", "error", "no-pending-link");
            return FederationPages.Expired(link?.ReturnUrl ?? "/");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var result = await mfa.CheckPasswordAsync(user, form["password"].ToString(), context.RequestAborted);
        if (!result.Succeeded)
        {
            audit.Federation(context, user.UserName!, source.Slug, result.IsLockedOut ? "locked-out" : "link-failed",
                "wrong password");
            var message = result.IsLockedOut
                ? "Too many failed attempts. This account is locked for a few minutes; try again later."
                : "The password is not correct. Nothing was linked.";
            return FederationPages.LinkForm(context, antiforgery, source, user, message, 401);
        }
        return await CompleteLinkAsync(context, source, link, user);
    }

    private async Task<IResult> CompleteLinkAsync(
        HttpContext context, SourceRecord source, PendingLink link, IdpUser user)
    {
        var holder = await users.FindByLoginAsync(link.Issuer, link.Subject);
        if (holder is not null && holder.Id != user.Id)
        {
            audit.Federation(context, user.UserName!, source.Slug, "error", "identity linked to another user");
            return FederationPages.Failed($"This {source.DisplayName} account is linked to another user already.",
                link.ReturnUrl, StatusCodes.Status409Conflict);
        }
        if (holder is null)
        {
            await accounts.LinkAsync(user, link.Issuer, link.Subject, source.DisplayName);
        }
        FederationCookies.DeleteLink(context);
        audit.Federation(context, user.UserName!, source.Slug, "linked", $"{link.Issuer} {link.Subject}");
        return await mfa.ContinueAfterFirstFactorAsync(context, user, link.ReturnUrl, LinkedWithPassword,
            context.RequestAborted);
    }

    private Task<SourceRecord?> FindSourceAsync(string slug, CancellationToken ct) =>
        db.Sources.AsNoTracking().FirstOrDefaultAsync(s => s.Slug == slug, ct);

    private static string Who(ExternalIdentity identity) => identity.Email ?? $"sub {identity.Subject}";

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    [LoggerMessage(EventId = 430, Level = LogLevel.Information,
        Message = "Source {Slug}: sub {Subject} refused, hosted domain {HostedDomain} is not {Required}")]
    private static partial void LogHostedDomainRefused(
        ILogger logger, string slug, string subject, string hostedDomain, string required);
}
