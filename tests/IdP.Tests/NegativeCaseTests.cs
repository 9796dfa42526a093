using System.Net;
using System.Text.RegularExpressions;

namespace SsoOperator.IdP.Tests;

/// <summary>Each case asserts the spec's error code, the status, and that no token was issued.</summary>
public sealed partial class NegativeCaseTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Theory]
    [InlineData("redirect uri not registered", HttpStatusCode.BadRequest, "invalid_request")]
    [InlineData("redirect uri with a trailing slash", HttpStatusCode.BadRequest, "invalid_request")]
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
    public async Task Request_NegativeCase_RefusedWithSpecErrorAndNoToken(
        string scenario, HttpStatusCode status, string error)
    {
        var outcome = await RunAsync(scenario);

        Assert.Equal(status, outcome.Status);
        Assert.Equal(error, outcome.Error);
        Assert.False(outcome.TokenIssued, "a token was issued");
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
        return new Outcome(step.Status, ErrorIn(step.Body), TokenIssued: false);
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
            var step = await browser.GoAsync(new Uri(idp.Issuer, $"connect/endsession?id_token_hint=" +
                $"{tokens["id_token"]}&post_logout_redirect_uri=https://evil.example.com/"), _ => true);
            return new Outcome(step.Status, ErrorIn(step.Body), TokenIssued: false);
        }
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

    private sealed record Outcome(HttpStatusCode Status, string? Error, bool TokenIssued);
}
