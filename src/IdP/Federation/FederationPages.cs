using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using SsoOperator.IdP.Accounts;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>The pages of a federated sign-in: the buttons on the sign-in page and every way it can end.</summary>
public static class FederationPages
{
    private const string Title = "Sign in";

    /// <summary>One "Sign in with ..." link per source, read from the database only (no call to any issuer).</summary>
    public static async Task<string> SourceLinksAsync(IdpDbContext db, string returnUrl, CancellationToken ct)
    {
        var sources = await db.Sources.AsNoTracking().OrderBy(s => s.DisplayName)
            .Select(s => new { s.Slug, s.DisplayName }).ToListAsync(ct);
        if (sources.Count == 0)
        {
            return string.Empty;
        }
        var html = new StringBuilder("<ul class=\"sources\">");
        foreach (var source in sources)
        {
            var href = FederationEndpoints.StartUrl(source.Slug, returnUrl);
            html.Append($"<li><a class=\"source\" id=\"source-{Html.Encode(source.Slug)}\" ")
                .Append($"href=\"{Html.Encode(href)}\">")
                .Append(Html.Encode($"Sign in with {source.DisplayName}")).Append("</a></li>");
        }
        return html.Append("</ul>").ToString();
    }

    public static IResult Expired(string returnUrl) => Page(
        "This sign-in expired or did not start in this browser. Please start again.", returnUrl,
        StatusCodes.Status400BadRequest);

    public static IResult UnknownSource(string returnUrl) => Page(
        "This way of signing in is not set up here (any more).", returnUrl, StatusCodes.Status404NotFound);

    public static IResult Failed(string message, string returnUrl, int status = StatusCodes.Status502BadGateway) =>
        Page(message, returnUrl, status);

    public static IResult IssuerError(SourceRecord source, string error, string returnUrl) => Page(
        error == "access_denied"
            ? $"The sign-in with {source.DisplayName} was cancelled or not allowed there."
            : $"{source.DisplayName} could not sign you in ({error}).",
        returnUrl, StatusCodes.Status400BadRequest);

    public static IResult HostedDomainRefused(SourceRecord source, string domain, string returnUrl) => Page(
        $"Only {domain} accounts may sign in with {source.DisplayName} here. Accounts outside {domain} " +
        "may not sign in; choose another account.", returnUrl, StatusCodes.Status403Forbidden);

    public static IResult NotKnown(SourceRecord source, string returnUrl) => Page(
        $"Your {source.DisplayName} account is not known here. An administrator must add it before you can " +
        "sign in with it.", returnUrl, StatusCodes.Status403Forbidden);

    public static IResult LinkImpossible(SourceRecord source, string returnUrl) => Page(
        $"An account with this email exists here, but it has no password to confirm a link to {source.DisplayName}. " +
        "Sign in the way that account was created, or ask an administrator.", returnUrl, StatusCodes.Status409Conflict);

    public static IResult Disabled(string returnUrl) => Page(
        "This account is disabled. Ask an administrator.", returnUrl, StatusCodes.Status403Forbidden);

    /// <summary>The account with this email exists: its password, once, links the source's identity to it.</summary>
    public static IResult LinkForm(HttpContext context, IAntiforgery antiforgery, SourceRecord source, IdpUser user,
        string? error, int status = StatusCodes.Status200OK)
    {
        var intro = Html.Paragraph($"An account with the email {user.Email} exists here. Enter its password to " +
            $"link {source.DisplayName} to it; from then on {source.DisplayName} signs you in to it.");
        var fields = Html.Field("password", "Password", "password", "current-password", invalid: error is not null);
        return Html.Page($"Link {source.DisplayName}", Html.Alert(error) + intro +
            Html.Form(context, antiforgery, FederationEndpoints.LinkPath, fields, "Link and sign in"), status);
    }

    private static IResult Page(string message, string returnUrl, int status)
    {
        var again = QueryHelpers.AddQueryString(AccountEndpoints.LoginPath, "returnUrl", returnUrl);
        return Html.Page(Title, Html.Alert(message) +
            $"<p><a id=\"sign-in-again\" href=\"{Html.Encode(again)}\">Back to sign-in</a></p>", status);
    }
}
