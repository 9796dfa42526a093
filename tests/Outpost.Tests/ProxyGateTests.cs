using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.Logging;
using SsoOperator.Outpost.Tests.Infrastructure;

namespace SsoOperator.Outpost.Tests;

/// <summary>The outpost as a reverse proxy, driven over real HTTP with a real IdP.</summary>
[Collection(GateCollection.Name)]
public sealed class ProxyGateTests(GateFixture fixture)
{
    [Fact]
    public async Task Ping_AnyHost_Answers200()
    {
        using var browser = fixture.Browser();
        using var response = await browser.Http.GetAsync(Browser.App("unknown.test", "/ping"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pong", await response.Content.ReadAsStringAsync());
        Assert.StartsWith("test (", string.Concat(response.Headers.GetValues("X-Outpost-Config-Revision")),
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstPageLoad_NoSession_RedirectsToIdpBrowserUrlWithPkce()
    {
        using var browser = fixture.Browser();
        using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/page")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(TestIdp.BrowserUrl + "auth?", location.AbsoluteUri, StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(location.Query);
        Assert.Equal("app1", query["client_id"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(Browser.App("app1.test", "/outpost/callback"), query["redirect_uri"]);
    }

    [Fact]
    public async Task SignIn_Completed_UpstreamSeesIdentityHeaders()
    {
        using var browser = fixture.Browser("carol");

        var (response, hops) = await browser.FollowAsync(Browser.App("app1.test", "/page?x=1"));
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Browser.App("app1.test", "/page?x=1"), hops[^1]);
        Assert.Equal("/page", echo!.Path);
        Assert.Equal("carol", echo.Header("X-Forwarded-User"));
        Assert.Equal("carol@example.test", echo.Header("X-Forwarded-Email"));
        Assert.Equal("staff", echo.Header("X-Forwarded-Groups"));
        Assert.Equal("carol", echo.Header("X-Forwarded-Preferred-Username"));
        Assert.Null(echo.Header("Authorization"));
        Assert.DoesNotContain("_outpost", echo.Header("Cookie") ?? "", StringComparison.Ordinal);
        Assert.Equal("app1.test:7000", echo.Header("X-Forwarded-Host"));
        Assert.Equal("http", echo.Header("X-Forwarded-Proto"));
        Assert.Equal("127.0.0.1", echo.Header("X-Forwarded-For"));
    }

    [Fact]
    public async Task ForgedIdentityHeaders_SignedIn_NeverReachUpstream()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "app1.test");

        using var request = Browser.Navigate(Browser.App("app1.test", "/page"));
        Forge(request);
        using var response = await browser.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal("carol", echo!.Header("X-Forwarded-User"));
        Assert.Equal("carol@example.test", echo.Header("X-Forwarded-Email"));
        Assert.Equal("staff", echo.Header("X-Forwarded-Groups"));
        Assert.Null(echo.Header("X_Forwarded_User"));
    }

    [Fact]
    public async Task ForgedIdentityHeaders_SkippedPath_AreRemoved()
    {
        using var browser = fixture.Browser();
        using var request = Browser.Navigate(Browser.App("app1.test", "/public/info"));
        Forge(request);

        using var response = await browser.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/public/info", echo!.Path);
        Assert.Null(echo.Header("X-Forwarded-User"));
        Assert.Null(echo.Header("X_Forwarded_User"));
        Assert.Null(echo.Header("X-Forwarded-Email"));
        Assert.Null(echo.Header("X-Forwarded-Groups"));
        Assert.Null(echo.Header("X-Forwarded-Preferred-Username"));
    }

    [Theory]
    [InlineData("/public", HttpStatusCode.OK)]
    [InlineData("/public/a/b", HttpStatusCode.OK)]
    [InlineData("/publicity", HttpStatusCode.Unauthorized)]
    [InlineData("/x/public", HttpStatusCode.Unauthorized)]
    public async Task SkipPaths_NoSession_OnlyAnchoredMatchesPass(string path, HttpStatusCode expected)
    {
        using var browser = fixture.Browser();
        using var response = await browser.Http.GetAsync(Browser.App("app1.test", path));

        Assert.Equal(expected, response.StatusCode);
    }

    [Theory]
    [InlineData("GET", "X-Requested-With", "XMLHttpRequest")]
    [InlineData("GET", "Sec-Fetch-Mode", "cors")]
    [InlineData("POST", "Sec-Fetch-Mode", "navigate")]
    public async Task ApiCall_NoSession_Gets401(string method, string header, string value)
    {
        using var browser = fixture.Browser();
        using var request = new HttpRequestMessage(new HttpMethod(method), Browser.App("app1.test", "/api/items"));
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add(header, value);

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task ApiCall_JsonAccept_Gets401()
    {
        using var browser = fixture.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.App("app1.test", "/api/items"));
        request.Headers.Accept.ParseAdd("application/json");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task SignIn_UserOutsidePolicy_Gets403AndNoSession()
    {
        using var browser = fixture.Browser("bob");

        var (response, _) = await browser.FollowAsync(Browser.App("app1.test", "/page"));
        var body = await response.Content.ReadAsStringAsync();
        using var again = await browser.Http.GetAsync(Browser.App("app1.test", "/api"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("not allowed", body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
        Assert.Contains(fixture.Primary.Logs.Lines, l => l.EventId == 30 && l.Message.Contains("bob") &&
            l.Message.Contains("NotPermitted"));
    }

    [Fact]
    public async Task SignIn_MfaRequiredWithoutSecondFactor_Gets403()
    {
        using var browser = fixture.Browser("alice", "pwd");

        var (response, _) = await browser.FollowAsync(Browser.App("admin.test", "/"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("second factor", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_MfaRequiredWithOtp_ReachesUpstream()
    {
        using var browser = fixture.Browser("alice", "pwd.otp");

        var (response, hops) = await browser.FollowAsync(Browser.App("admin.test", "/"));

        Assert.True(response.StatusCode == HttpStatusCode.OK,
            $"{response.StatusCode} after {string.Join(" -> ", hops)}:" +
            await response.Content.ReadAsStringAsync());
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();
        Assert.Equal("alice", echo!.Header("X-Forwarded-User"));
        Assert.Equal("admins,staff", echo.Header("X-Forwarded-Groups"));
    }

    [Fact]
    public async Task Session_FromAnotherApp_DoesNotOpenThisOne()
    {
        using var browser = fixture.Browser("alice");
        await SignInAsync(browser, "app1.test");

        // The cookie is replayed by hand onto another app's host: it was sealed for app1 only.
        var cookie = browser.Cookies.GetCookies(new Uri(Browser.App("app1.test")))["_outpost"]!;
        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.App("nobody.test", "/"));
        request.Headers.Add("Cookie", $"_outpost={cookie.Value}");
        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Replicas_SharingTheSessionKey_AcceptEachOthersCookies()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "app1.test");

        browser.Target = fixture.Replica.Port;
        using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/other")));
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("carol", echo!.Header("X-Forwarded-User"));
    }

    [Fact]
    public async Task SignIn_StartedOnOneReplica_CompletesOnTheOther()
    {
        using var browser = fixture.Browser("carol");
        using var first = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/rr")));
        browser.Target = fixture.Replica.Port;

        var (response, _) = await browser.FollowAsync(first.Headers.Location!.AbsoluteUri);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("carol", (await response.Content.ReadFromJsonAsync<EchoReply>())!.Header("X-Forwarded-User"));
    }

    [Fact]
    public async Task ThreeReplicasRoundRobin_SignInCompletesInOnePass()
    {
        await using var third = await OutpostInstance.StartAsync(fixture.Primary.ConfigPath);
        using var browser = fixture.Browser("carol");
        browser.RoundRobin = [fixture.Primary.Port, fixture.Replica.Port, third.Port];

        var (response, hops) = await browser.FollowAsync(Browser.App("app1.test", "/rr"));
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("carol", echo!.Header("X-Forwarded-User"));
        Assert.Equal(Browser.App("app1.test", "/rr"), hops[^1]);
        // First request, callback and the return to the page: each on another replica.
        Assert.Equal(3, browser.Connections.Distinct().Count());
    }

    [Fact]
    public async Task SignOut_EndsOutpostSessionAndSendsBrowserToIdpWithIdTokenHint()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "app1.test");

        using var response = await browser.Http.SendAsync(
            Browser.Navigate(Browser.App("app1.test", "/outpost/sign_out")));
        using var after = await browser.Http.GetAsync(Browser.App("app1.test", "/api"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.AbsoluteUri;
        Assert.StartsWith(TestIdp.BrowserUrl + "session/end?", location, StringComparison.Ordinal);
        Assert.Contains("id_token_hint=ey", location, StringComparison.Ordinal);
        Assert.Contains("post_logout_redirect_uri=", location, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
    }

    [Fact]
    public async Task PassAccessToken_ReplacesClientAuthorizationWithBearer()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "bearer.test");

        using var request = Browser.Navigate(Browser.App("bearer.test", "/api"));
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer forged");
        using var response = await browser.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        var authorization = echo!.Header("Authorization");
        Assert.StartsWith("Bearer ", authorization, StringComparison.Ordinal);
        Assert.NotEqual("Bearer forged", authorization);
        Assert.True(authorization!.Length > 20, authorization);
    }

    [Fact]
    public async Task WithoutPassAccessToken_ClientAuthorizationPassesUnchanged()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "app1.test");

        using var request = Browser.Navigate(Browser.App("app1.test", "/api"));
        request.Headers.TryAddWithoutValidation("Authorization", "Basic YXBwOmtleQ==");
        using var response = await browser.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal("Basic YXBwOmtleQ==", echo!.Header("Authorization"));
    }

    [Fact]
    public async Task Logs_AfterSignIn_HoldNoTokensCodesOrCookies()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "bearer.test");
        var cookie = browser.Cookies.GetCookies(new Uri(Browser.App("bearer.test")))["_outpost"]!.Value;

        var lines = fixture.Primary.Logs.Lines.Select(l => l.Message).ToList();

        Assert.Contains(lines, l => l.Contains("Sign-in to bearer", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("eyJ", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("code=", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(cookie[..24], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(TestConfig.Secret("bearer"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignOut_ConfirmedAtIdp_EndsTheIdpSessionToo()
    {
        using var browser = fixture.Browser("carol");
        await SignInAsync(browser, "app1.test");
        ForgetOutpostSession(browser);
        var (_, whileIdpSessionLives) = await browser.FollowAsync(Browser.App("app1.test", "/again"));

        using var signOut = await browser.Http.SendAsync(
            Browser.Navigate(Browser.App("app1.test", "/outpost/sign_out")));
        var signedOut = await ConfirmIdpLogoutAsync(browser, signOut.Headers.Location!.AbsoluteUri);
        var (_, afterSignOut) = await browser.FollowAsync(Browser.App("app1.test", "/again"));

        Assert.DoesNotContain(whileIdpSessionLives, h => h.Contains("/interaction/", StringComparison.Ordinal));
        Assert.Equal(Browser.App("app1.test", "/outpost/signed_out"), signedOut);
        Assert.Contains(afterSignOut, h => h.Contains("/interaction/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Callback_UnknownState_RefusedAndLoggedAsRejected()
    {
        using var browser = fixture.Browser();

        using var response = await browser.Http.SendAsync(
            Browser.Navigate(Browser.App("app1.test", "/outpost/callback?code=forged-code&state=forged-state")));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(fixture.Primary.Logs.Lines, l => l.EventId == 31 && l.Level == LogLevel.Information &&
            l.Message.Contains("state_mismatch", StringComparison.Ordinal));
        Assert.DoesNotContain(fixture.Primary.Logs.Lines, l => l.Message.Contains("forged-code",
            StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownHost_PageLoadGets404PageNamingHostAndFields()
    {
        using var browser = fixture.Browser();
        using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("nowhere.test", "/")));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no application at nowhere.test", body, StringComparison.Ordinal);
        Assert.Contains("spec.proxy.externalHost", body, StringComparison.Ordinal);
        Assert.Contains("spec.applicationRefs", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownHost_ApiCallGetsBare404()
    {
        using var browser = fixture.Browser();
        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.App("nowhere.test", "/api/items"));
        request.Headers.Accept.ParseAdd("application/json");
        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
    }

    internal static async Task SignInAsync(Browser browser, string host)
    {
        var (response, hops) = await browser.FollowAsync(Browser.App(host, "/signin"));
        Assert.True(response.IsSuccessStatusCode, $"sign-in ended with {response.StatusCode}: " +
            string.Join(" -> ", hops));
        response.Dispose();
    }

    private static void ForgetOutpostSession(Browser browser)
    {
        foreach (System.Net.Cookie cookie in browser.Cookies.GetCookies(new Uri(Browser.App("app1.test"))))
        {
            cookie.Expired = true;
        }
    }

    /// <summary>Answers the IdP's sign-out prompt with yes; returns where the IdP sends the browser.</summary>
    private static async Task<string> ConfirmIdpLogoutAsync(Browser browser, string endSessionUrl)
    {
        using var prompt = await browser.Http.SendAsync(Browser.Navigate(endSessionUrl));
        var html = await prompt.Content.ReadAsStringAsync();
        var action = System.Text.RegularExpressions.Regex.Match(html, "action=\"([^\"]+)\"").Groups[1].Value;
        var xsrf = System.Text.RegularExpressions.Regex.Match(html, "name=\"xsrf\" value=\"([^\"]+)\"")
            .Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["xsrf"] = xsrf,
            ["logout"] = "yes",
        });
        using var confirmed = await browser.Http.PostAsync(new Uri(new Uri(endSessionUrl), action), form);
        var next = new Uri(new Uri(endSessionUrl), confirmed.Headers.Location!).AbsoluteUri;
        var (page, hops) = await browser.FollowAsync(next);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        page.Dispose();
        return hops[^1];
    }

    private static void Forge(HttpRequestMessage request)
    {
        request.Headers.TryAddWithoutValidation("X-Forwarded-User", "mallory");
        request.Headers.TryAddWithoutValidation("x-forwarded-email", "mallory@evil.test");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Groups", "admins");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Preferred-Username", "mallory");
        request.Headers.TryAddWithoutValidation("X_Forwarded_User", "mallory");
    }
}
