using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace SsoOperator.IdP.Tests;

/// <summary>Each case asserts the spec's error code, the status, and that no token was issued.</summary>
public sealed partial class NegativeCaseTests(IdpHost idp) : IClassFixture<IdpHost>
{
    private const string Markup = "https://evil.example.com/cb?next=\"><script>alert(1)</script>";

    [Theory]
    [InlineData("redirect uri not registered", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("redirect uri with a trailing slash", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("redirect uri with markup", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("unknown client id", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("unregistered scope", HttpStatusCode.BadRequest, "invalid_scope")]
    [InlineData("pkce missing for a public client", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("pkce plain method", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("prompt none without a session", HttpStatusCode.Redirect, "login_required")]
    [InlineData("wrong verifier", HttpStatusCode.BadRequest, "invalid_grant")]
    [InlineData("code used twice", HttpStatusCode.BadRequest, "invalid_grant")]
    [InlineData("wrong secret", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("secret by a method the client does not allow", HttpStatusCode.Unauthorized, "invalid_client")]
    [InlineData("two client authentication methods at once", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("refresh token of a disabled user", HttpStatusCode.BadRequest, "invalid_grant")]
    [InlineData("unregistered post-logout uri", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("userinfo with a forged access token", HttpStatusCode.Unauthorized, "invalid_token")]
    public async Task Request_NegativeCase_RefusedWithSpecErrorAndNoToken(
        string scenario, HttpStatusCode status, string error)
    {
        var outcome = await RunAsync(scenario);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(error, outcome.Error);
        Assert.False(outcome.TokenIssued, "a token was issued");
    }

    [Theory]
    [InlineData("redirect uri not registered", "spec.oauth2.redirectUris", "<code>https://evil.example.com/cb</code>")]
    [InlineData("redirect uri with a trailing slash", "spec.oauth2.redirectUris", ".example.com/callback/</code>")]
    [InlineData("redirect uri with markup", "spec.oauth2.redirectUris",
        "<code>https://evil.example.com/cb?next=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</code>")]
    [InlineData("unknown client id", "spec.oauth2.clientId", "<code>no-such-client</code>")]
    [InlineData("pkce missing for a public client", null, "code_challenge")]
    [InlineData("unregistered scope", null, "error: invalid_scope\n")]
    [InlineData("unregistered post-logout uri", "spec.oauth2.postLogoutRedirectUris",
        "<code>https://evil.example.com/</code>")]
    public async Task Request_NotRedirectable_ExplainedOnOurPage(string scenario, string? field, string shown)
    {
        var outcome = await RunAsync(scenario);

        Assert.Equal(HttpStatusCode.BadRequest, outcome.Status);
        Assert.Equal("text/html", outcome.MediaType);
        Assert.StartsWith("<!DOCTYPE html>", outcome.Body, StringComparison.Ordinal);
        Assert.Contains(shown, outcome.Body, StringComparison.Ordinal);
        if (field is not null)
        {
            Assert.Contains($"<code>{field}</code>", outcome.Body, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("<script>", outcome.Body, StringComparison.Ordinal);
    }

    // Note: OpenIddict redirects only errors raised after it validated the whole request (here our endpoint's
    // login_required); errors found while validating it, invalid_scope included, are shown locally, with error
    // passthrough as before it.
    [Fact]
    public async Task PromptNone_WithoutSession_IsStillRedirectedToTheClientWithState()
    {
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var step = await browser.GoAsync(client.AuthorizeUrl(prompt: "none"), client.IsRedirect);

        Assert.True(client.IsRedirect(step.Url), $"ended at {step.Url} ({step.Status}): {step.Body}");
        Assert.Equal("login_required", step.Query("error"));
        Assert.Equal("st-123", step.Query("state"));
    }

    [Fact]
    public async Task UnregisteredPostLogoutUri_LeavesTheUserSignedIn()
    {
        var (client, code, browser) = await SignedInAsync();
        using (browser)
        {
            var tokens = await client.RedeemAsync(code);

            await browser.GoAsync(EndSessionUrl(tokens["id_token"]!), _ => true);
            var again = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);

            Assert.True(client.IsRedirect(again.Url), $"ended at {again.Url} ({again.Status})");
            Assert.NotNull(again.Query("code"));
        }
    }

    [Fact]
    public async Task CodeUsedTwice_TokensFromFirstUse_AreRevoked()
    {
        var (client, code, _) = await SignedInAsync();
        var first = await client.RedeemAsync(code);

        await client.RedeemAsync(code);

        var access = await client.PostAsync("connect/introspect", new() { ["token"] = first["access_token"]! });
        Assert.False(access.Json.GetProperty("active").GetBoolean());
        Assert.Equal("invalid_grant", (await client.RefreshAsync(first["refresh_token"]!))["error"]);
    }

    private Task<Outcome> RunAsync(string scenario) => scenario switch
    {
        "redirect uri not registered" =>
            AuthorizeErrorAsync(c => c.AuthorizeUrl(redirect: new Uri("https://evil.example.com/cb"))),
        "redirect uri with a trailing slash" =>
            AuthorizeErrorAsync(c => c.AuthorizeUrl(redirect: new Uri(c.RedirectUri + "/"))),
        "redirect uri with markup" => AuthorizeErrorAsync(c => With(c.AuthorizeUrl(), "redirect_uri", Markup)),
        "unknown client id" => AuthorizeErrorAsync(c => With(c.AuthorizeUrl(), "client_id", "no-such-client")),
        "unregistered scope" => AuthorizeErrorAsync(c => c.AuthorizeUrl(scope: "openid no-such-scope")),
        "pkce missing for a public client" =>
            AuthorizeErrorAsync(c => c.AuthorizeUrl(pkce: false), confidential: false),
        "pkce plain method" => AuthorizeErrorAsync(c => new Uri(c.AuthorizeUrl(pkce: false) + "&code_challenge=" +
            new string('a', 43) + "&code_challenge_method=plain"), confidential: false),
        "prompt none without a session" => AuthorizeErrorAsync(c => c.AuthorizeUrl(prompt: "none")),
        "wrong verifier" => TokenErrorAsync(async (c, code) => await c.RedeemAsync(code, new string('x', 43))),
        "code used twice" => TokenErrorAsync(async (c, code) =>
        {
            await c.RedeemAsync(code);
            return await c.RedeemAsync(code);
        }),
        "wrong secret" => TokenErrorAsync((c, code) => Wrong(c).RedeemAsync(code)),
        "secret by a method the client does not allow" => TokenErrorAsync((c, code) => c.PostAsync("connect/token",
            Redeem(c, code), method: "post"), authMethods: ["client_secret_basic"]),
        "two client authentication methods at once" => TokenErrorAsync((c, code) => c.PostAsync("connect/token",
            Redeem(c, code), method: "both")),
        "refresh token of a disabled user" => TokenErrorAsync(async (c, code) =>
        {
            var tokens = await c.RedeemAsync(code);
            await idp.SetDisabledAsync(c.ClientId + "-user", disabled: true);
            return await c.RefreshAsync(tokens["refresh_token"]!);
        }),
        "unregistered post-logout uri" => EndSessionErrorAsync(),
        "userinfo with a forged access token" => UserInfoErrorAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(scenario), scenario, "no such case"),
    };

    private async Task<Outcome> AuthorizeErrorAsync(Func<OidcClient, Uri> url, bool confidential = true)
    {
        var client = await Scenario.ClientAsync(idp, confidential);
        using var browser = new Browser();
        var step = await browser.GoAsync(url(client), u => u.Host.EndsWith(".example.com", StringComparison.Ordinal));
        if (step.Status == HttpStatusCode.Redirect)
        {
            return new Outcome(step.Status, step.Query("error"), step.Query("code") is not null);
        }
        return new Outcome(step.Status, ErrorIn(step.Body), TokenIssued: false, step.Body, step.MediaType);
    }

    private async Task<Outcome> TokenErrorAsync(Func<OidcClient, string, Task<TokenResponse>> redeem,
        IReadOnlyList<string>? authMethods = null)
    {
        var (client, code, _) = await SignedInAsync(authMethods);
        var response = await redeem(client, code);
        return new Outcome(response.Status, response["error"],
            response["access_token"] is not null || response["id_token"] is not null);
    }

    private async Task<Outcome> EndSessionErrorAsync()
    {
        var (client, code, browser) = await SignedInAsync();
        var tokens = await client.RedeemAsync(code);
        using (browser)
        {
            var step = await browser.GoAsync(EndSessionUrl(tokens["id_token"]!), _ => true);
            return new Outcome(step.Status, ErrorIn(step.Body), TokenIssued: false, step.Body, step.MediaType);
        }
    }

    // RFC 6750, section 3.1: the error is in the WWW-Authenticate challenge, as before error passthrough.
    private async Task<Outcome> UserInfoErrorAsync()
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(idp.Issuer, "connect/userinfo"));
        request.Headers.Authorization = new("Bearer", "not-a-token");
        using var response = await http.SendAsync(request);
        var challenge = string.Join(", ", response.Headers.WwwAuthenticate);
        return new Outcome(response.StatusCode, ErrorIn(challenge), TokenIssued: false);
    }

    private Uri EndSessionUrl(string idToken) => new(idp.Issuer,
        $"connect/endsession?id_token_hint={idToken}&post_logout_redirect_uri=https://evil.example.com/");

    private static Uri With(Uri url, string name, string value)
    {
        var query = QueryHelpers.ParseQuery(url.Query).ToDictionary(p => p.Key, p => (string?)p.Value.ToString());
        query[name] = value;
        return new Uri(QueryHelpers.AddQueryString(url.GetLeftPart(UriPartial.Path), query));
    }

    private async Task<(OidcClient Client, string Code, Browser Browser)> SignedInAsync(
        IReadOnlyList<string>? authMethods = null)
    {
        var client = await Scenario.ClientAsync(idp, authMethods: authMethods);
        var user = client.ClientId + "-user";
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var browser = new Browser();
        return (client, await Scenario.CodeAsync(browser, client, user), browser);
    }

    private static OidcClient Wrong(OidcClient c) => new(
        new Uri(c.AuthorizeUrl().GetLeftPart(UriPartial.Authority) + "/"), c.ClientId, "not-the-secret", c.RedirectUri);

    private static Dictionary<string, string> Redeem(OidcClient c, string code) => new()
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = c.RedirectUri.ToString(),
        ["code_verifier"] = c.Verifier,
    };

    private static string? ErrorIn(string body)
    {
        var match = ErrorCode().Match(body);
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("error\"?\\s*[:=]\\s*\"?([a-z_]+)")]
    private static partial Regex ErrorCode();

    private sealed record Outcome(HttpStatusCode Status, string? Error, bool TokenIssued, string Body = "",
        string? MediaType = null);
}
