using System.Text;
using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Pages;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Accounts;

/// <summary>
/// The start page, a small app portal: a signed-in user sees the applications their access rules admit, each
/// with its icon and a link to its launch URL, so family members have one place to start from.
/// </summary>
public static class Portal
{
    public static async Task<IResult> HomeAsync(
        HttpContext context, UserManager<IdpUser> users, IdpDbContext db, AccessPolicy policy,
        CancellationToken cancellationToken)
    {
        var user = context.User.Identity?.IsAuthenticated == true ? await users.GetUserAsync(context.User) : null;
        if (user is null || user.IsDisabled)
        {
            return Html.Page("SsoOperator", $"<p><a href=\"{AccountEndpoints.LoginPath}\">Sign in</a></p>");
        }

        var claims = await UserClaims.LoadAsync(users, db, user);
        var applications = await policy.LaunchableAsync(claims, cancellationToken);
        var body = Html.Paragraph($"Signed in as {claims.PreferredUsername}.") +
            (applications.Count == 0
                ? Html.Paragraph("No applications are set up for you yet. Ask your administrator to add you.")
                : List(applications)) +
            $"<p><a href=\"{MfaManagementEndpoints.Path}\">Two-factor sign-in</a> · " +
            $"<a href=\"{AccountEndpoints.LogoutPath}\">Sign out</a></p>";
        return Html.Page("Your applications", body);
    }

    private static string List(IReadOnlyList<ApplicationRecord> applications)
    {
        var html = new StringBuilder("<ul class=\"apps\">");
        foreach (var application in applications)
        {
            // Note: only http(s) URLs become links or images; the operator validates them, this keeps it so.
            var icon = IsWebUrl(application.Icon)
                ? $"<img src=\"{Html.Encode(application.Icon)}\" alt=\"\" width=\"24\" height=\"24\"> "
                : string.Empty;
            var name = Html.Encode(application.DisplayName);
            html.Append(IsWebUrl(application.LaunchUrl)
                ? $"<li>{icon}<a href=\"{Html.Encode(application.LaunchUrl)}\">{name}</a></li>"
                : $"<li>{icon}{name}</li>");
        }
        return html.Append("</ul>").ToString();
    }

    private static bool IsWebUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);
}
