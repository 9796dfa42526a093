using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>What the federated-login tests share: a Source at the upstream, people there, the way through.</summary>
public static partial class FederationScenario
{
    public const string Domain = "corp.test";

    /// <summary>
    /// A Source row for the upstream, with this IdP registered there as a client. New users join "staff" (what
    /// Scenario's clients admit) unless <paramref name="groups"/> says otherwise.
    /// </summary>
    public static async Task<string> SourceAsync(IdpHost idp, Upstream upstream, bool createUsers = true,
        string? hostedDomain = null, string usernameClaim = "email", IReadOnlyList<string>? groups = null)
    {
        var slug = Scenario.Unique("up");
        var (clientId, secret) = await upstream.RegisterClientAsync(RedirectUri(idp, slug));
        var result = await idp.Store.UpsertSourceAsync(new SourceDefinition(slug, "Upstream", upstream.Issuer,
            clientId, secret, ["openid", "profile", "email"], hostedDomain, usernameClaim, createUsers,
            groups ?? ["staff"], new ResourceOwner("Source", "tests", slug)), default);
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        return slug;
    }

    public static Uri RedirectUri(IdpHost idp, string slug) => new(idp.Issuer, $"federation/{slug}/callback");

    /// <summary>A new person at the upstream with a Google-like numeric sub and a verified corp.test email.</summary>
    public static Task<UpstreamAccount> PersonAsync(Upstream upstream, string? hostedDomain = Domain,
        object? emailVerified = null, string? email = null, string? preferredUsername = null, string? tamper = null,
        bool deny = false)
    {
        var sub = "1" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999) + Guid.NewGuid().ToString("N")[..6];
        var address = email ?? $"{Scenario.Unique("p")}@{Domain}";
        return upstream.AddAccountAsync(new UpstreamAccount(sub, address, emailVerified ?? true,
            $"Person {sub[..6]}", preferredUsername, hostedDomain, deny, tamper));
    }

    /// <summary>
    /// From the downstream client's authorization request to our sign-in page, its "Sign in with Upstream" link,
    /// the upstream and back; ends where the IdP stops redirecting or at the client's redirect URI.
    /// </summary>
    public static async Task<Step> SignInAsync(
        Browser browser, Upstream upstream, OidcClient client, string slug, UpstreamAccount person)
    {
        browser.Cookies.Add(upstream.Issuer, new Cookie(Upstream.UserCookie, person.Sub));
        var login = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        Assert.Equal("/account/login", login.Url.AbsolutePath);
        return await browser.GoAsync(new Uri(login.Url, SourceLink(login.Body, slug)), client.IsRedirect);
    }

    /// <summary>The href of the source's link on the sign-in page.</summary>
    public static string SourceLink(string html, string slug)
    {
        var match = SourceLinkTag().Matches(html).FirstOrDefault(m => m.Groups[1].Value == slug);
        Assert.True(match is not null, $"no link for {slug} on the page: {html}");
        return WebUtility.HtmlDecode(match.Groups[2].Value);
    }

    public static string Alert(Step page)
    {
        var match = AlertTag().Match(page.Body);
        Assert.True(match.Success, $"no alert on {page.Url} ({page.Status}): {page.Body}");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    public static async Task<List<IdpUser>> UsersWithEmailAsync(IdpHost idp, string email)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var normalized = users.NormalizeEmail(email);
        return await users.Users.Where(u => u.NormalizedEmail == normalized).ToListAsync();
    }

    /// <summary>The user linked to (issuer, sub), with its logins and groups; null when there is none.</summary>
    public static async Task<LinkedUser?> LinkedAsync(IdpHost idp, Upstream upstream, string sub)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        var user = await users.FindByLoginAsync(upstream.Issuer.ToString(), sub);
        return user is null ? null
            : new LinkedUser(user, [.. await users.GetLoginsAsync(user)], [.. await users.GetRolesAsync(user)]);
    }

    /// <summary>How often the audit counted this outcome for this source (from /metrics).</summary>
    public static async Task<int> AuditedAsync(IdpHost idp, string slug, string outcome)
    {
        using var http = new HttpClient();
        var metrics = await http.GetStringAsync(new Uri(idp.Issuer, "metrics"));
        var series = $"ssooperator_idp_federated_sign_ins_total{{source=\"{slug}\",outcome=\"{outcome}\"}} ";
        var line = metrics.Split('\n').FirstOrDefault(l => l.StartsWith(series, StringComparison.Ordinal));
        return line is null ? 0 : int.Parse(line[series.Length..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("id=\"source-([^\"]+)\" href=\"([^\"]+)\"")]
    private static partial Regex SourceLinkTag();

    [GeneratedRegex("<p role=\"alert\" id=\"error\">([^<]*)</p>")]
    private static partial Regex AlertTag();
}

public sealed record LinkedUser(IdpUser User, IReadOnlyList<UserLoginInfo> Logins, IReadOnlyList<string> Groups);
