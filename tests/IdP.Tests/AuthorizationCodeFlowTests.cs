using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace SsoOperator.IdP.Tests;

public sealed class AuthorizationCodeFlowTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task CodeFlow_ConfidentialClient_IdTokenAndUserInfoCarryTheSameClaims()
    {
        var user = Scenario.Unique("ada");
        var created = await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        Assert.Equal(idp.Issuer.ToString(), id.GetProperty("iss").GetString());
        Assert.Equal(created.Id, id.GetProperty("sub").GetString());
        Assert.Equal(user, id.GetProperty("preferred_username").GetString());
        Assert.Equal($"{user} Example", id.GetProperty("name").GetString());
        Assert.Equal($"{user}@example.com", id.GetProperty("email").GetString());
        Assert.Equal(JsonValueKind.True, id.GetProperty("email_verified").ValueKind);
        Assert.Equal(["staff"], id.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal("n-456", id.GetProperty("nonce").GetString());

        var info = await UserInfoAsync(tokens["access_token"]!);
        foreach (var claim in new[] { "sub", "preferred_username", "name", "email", "email_verified", "groups" })
        {
            Assert.Equal(id.GetProperty(claim).GetRawText(), info.GetProperty(claim).GetRawText());
        }
    }

    [Fact]
    public async Task CodeFlow_UserInNoGroup_GroupsIsEmptyArray()
    {
        var user = Scenario.Unique("solo");
        await idp.CreateUserAsync(user, Scenario.Password);
        var client = await Scenario.ClientAsync(idp, group: null, user: user);
        using var browser = new Browser();

        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));

        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!));
        Assert.Equal(JsonValueKind.Array, id.GetProperty("groups").ValueKind);
        Assert.Equal(0, id.GetProperty("groups").GetArrayLength());
        Assert.Equal("[]", (await UserInfoAsync(tokens["access_token"]!)).GetProperty("groups").GetRawText());
    }

    [Fact]
    public async Task Refresh_WithOfflineAccess_IssuesNewTokensForSameSubject()
    {
        var user = Scenario.Unique("ref");
        var created = await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();
        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));

        var refreshed = await client.RefreshAsync(tokens["refresh_token"]!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.NotEqual(tokens["access_token"], refreshed["access_token"]);
        var access = await Scenario.VerifyAsync(idp, refreshed["access_token"]!);
        Assert.Equal(created.Id, access.Subject);
    }

    [Fact]
    public async Task CodeFlow_FormPostResponseMode_PostsCodeToRedirectUri()
    {
        var user = Scenario.Unique("post");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var login = await browser.GoAsync(client.AuthorizeUrl(responseMode: "form_post"));
        var formPost = await browser.SignInAsync(login, user, Scenario.Password);
        var posted = await browser.SubmitAsync(formPost, stopAt: client.IsRedirect);

        Assert.Equal("st-123", posted.Posted!["state"]);
        Assert.Equal(HttpStatusCode.OK, (await client.RedeemAsync(posted.Posted["code"])).Status);
    }

    [Fact]
    public async Task CodeFlow_PublicClientWithPkce_IssuesTokensWithoutSecret()
    {
        var user = Scenario.Unique("pub");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp, confidential: false);
        using var browser = new Browser();

        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens["id_token"]);
    }

    [Fact]
    public async Task Authorize_UserOutsideAllowedGroups_NoAccessPageAndNoCode()
    {
        var user = Scenario.Unique("out");
        await idp.CreateUserAsync(user, Scenario.Password, "visitors");
        var client = await Scenario.ClientAsync(idp, group: "staff");
        using var browser = new Browser();

        var login = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        var page = await browser.SignInAsync(login, user, Scenario.Password, client.IsRedirect);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
        Assert.Contains("No access", page.Body, StringComparison.Ordinal);
        Assert.False(client.IsRedirect(page.Url));
    }

    [Fact]
    public async Task Authorize_ApplicationWithNoRules_AdmitsNobody()
    {
        var user = Scenario.Unique("none");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp, group: null);
        using var browser = new Browser();

        var login = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        var page = await browser.SignInAsync(login, user, Scenario.Password, client.IsRedirect);

        Assert.Equal(HttpStatusCode.Forbidden, page.Status);
    }

    [Fact]
    public async Task ClientCredentials_ConfidentialClient_AccessTokenForClient()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);

        var tokens = await client.PostAsync("connect/token", new() { ["grant_type"] = "client_credentials" });

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(client.ClientId, (await Scenario.VerifyAsync(idp, tokens["access_token"]!)).Subject);
    }

    [Fact]
    public async Task IntrospectAndRevoke_RefreshToken_ActiveThenInactive()
    {
        var user = Scenario.Unique("intro");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();
        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));
        var refresh = tokens["refresh_token"]!;

        var before = await client.PostAsync("connect/introspect", new() { ["token"] = refresh });
        var revoked = await client.PostAsync("connect/revoke", new() { ["token"] = refresh });
        var after = await client.PostAsync("connect/introspect", new() { ["token"] = refresh });

        Assert.True(before.Json.GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, revoked.Status);
        Assert.False(after.Json.GetProperty("active").GetBoolean());
        Assert.Equal("invalid_grant", (await client.RefreshAsync(refresh))["error"]);
    }

    [Fact]
    public async Task EndSession_WithIdTokenHint_RedirectsToRegisteredUriAndSignsOut()
    {
        var user = Scenario.Unique("bye");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();
        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));
        var bye = new Uri($"https://{client.ClientId}.example.com/bye");

        var logout = await browser.GoAsync(new Uri(idp.Issuer,
            $"connect/endsession?id_token_hint={tokens["id_token"]}&post_logout_redirect_uri={bye}&state=s1"),
            url => url.Host == bye.Host);
        var again = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);

        Assert.Equal(bye.ToString(), logout.Url.GetLeftPart(UriPartial.Path));
        Assert.Equal("s1", logout.Query("state"));
        Assert.Equal("/account/login", again.Url.AbsolutePath);
    }

    [Fact]
    public async Task EndSession_WithoutHint_AsksThenRedirects()
    {
        var user = Scenario.Unique("ask");
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();
        await Scenario.CodeAsync(browser, client, user);
        var bye = new Uri($"https://{client.ClientId}.example.com/bye");

        var confirm = await browser.GoAsync(new Uri(idp.Issuer,
            $"connect/endsession?client_id={client.ClientId}&post_logout_redirect_uri={bye}"), u => u.Host == bye.Host);
        var done = await browser.SubmitAsync(confirm, stopAt: u => u.Host == bye.Host);

        Assert.Contains("asked to sign you out", confirm.Body, StringComparison.Ordinal);
        Assert.Equal(bye.ToString(), done.Url.GetLeftPart(UriPartial.Path));
    }

    private async Task<JsonElement> UserInfoAsync(string accessToken)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(idp.Issuer, "connect/userinfo"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
