using System.Net;
using SsoOperator.Outpost.Tests.Infrastructure;

namespace SsoOperator.Outpost.Tests;

/// <summary>The forward-auth endpoints, asked the way each ingress asks, with a real IdP behind.</summary>
[Collection(GateCollection.Name)]
public sealed class ForwardAuthTests(GateFixture fixture) : IDisposable
{
    private readonly Ingress ingress = new(fixture.Primary);

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("caddy")]
    public async Task NoSession_ApiCall_Gets401(string flavour)
    {
        using var browser = fixture.Browser();
        using var response = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/api"), pageLoad: false);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Nginx_NoSessionPageLoad_Gets401ForErrorPage()
    {
        using var browser = fixture.Browser();
        using var response = await ingress.AskAsync(browser, "nginx", Browser.App("fwd.test", "/page"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie"));
    }

    [Theory]
    [InlineData("traefik")]
    [InlineData("caddy")]
    public async Task NoSessionPageLoad_RedirectsToIdpAndSetsFlowCookie(string flavour)
    {
        using var browser = fixture.Browser();
        using var response = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/page"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.AbsoluteUri;
        Assert.StartsWith(TestIdp.BrowserUrl + "auth?", location, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=http%3A%2F%2Ffwd.test%3A7000%2Foutpost%2Fcallback", location,
            StringComparison.Ordinal);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("_outpost_flow_",
            StringComparison.Ordinal) && c.Contains("path=/outpost/callback", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    [InlineData("caddy")]
    public async Task SkipPath_NoSession_Gets200WithoutIdentity(string flavour)
    {
        using var browser = fixture.Browser();
        using var response = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/health"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var user = response.Headers.TryGetValues("X-Forwarded-User", out var values) ? string.Concat(values) : null;
        Assert.Equal(flavour == "caddy" ? "" : null, user);
    }

    [Theory]
    [InlineData("traefik")]
    [InlineData("caddy")]
    public async Task SignInThroughEndpoint_ThenAdmitted_WithIdentityHeaders(string flavour)
    {
        using var browser = fixture.Browser("carol");
        using var challenge = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/page?q=1"));
        var callback = await Ingress.ThroughIdpAsync(browser, challenge.Headers.Location!);

        using var completed = await ingress.AskAsync(browser, flavour, callback);
        using var admitted = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/page?q=1"));

        Assert.StartsWith(Browser.App("fwd.test", "/outpost/callback?code="), callback, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, completed.StatusCode);
        Assert.Equal(Browser.App("fwd.test", "/page?q=1"), completed.Headers.Location!.AbsoluteUri);
        AssertIdentity(admitted, "carol", "staff");
    }

    [Fact]
    public async Task Nginx_SignInThroughStartUrl_ThenAdmittedWithIdentityHeaders()
    {
        using var browser = fixture.Browser("carol");
        var rd = Uri.EscapeDataString(Browser.App("fwd.test", "/page"));

        var (_, hops) = await browser.FollowAsync(Browser.App("fwd.test", $"/outpost/start?rd={rd}"));
        using var admitted = await ingress.AskAsync(browser, "nginx", Browser.App("fwd.test", "/page"));

        Assert.Equal(Browser.App("fwd.test", "/page"), hops[^1]);
        AssertIdentity(admitted, "carol", "staff");
    }

    [Theory]
    [InlineData("/deep/page?x=1", "/deep/page?x=1")]
    [InlineData("http://evil.test:7000/steal", "/")]
    [InlineData("//evil.test/steal", "/")]
    public async Task Nginx_StartUrl_ReturnsOnlyToTheAppsOwnHost(string rd, string expectedPath)
    {
        using var browser = fixture.Browser("carol");

        var (_, hops) = await browser.FollowAsync(
            Browser.App("fwd.test", $"/outpost/start?rd={Uri.EscapeDataString(rd)}"));

        Assert.Equal(Browser.App("fwd.test", expectedPath), hops[^1]);
    }

    [Fact]
    public async Task Nginx_StartUrlForApiCall_Gets401()
    {
        using var browser = fixture.Browser();
        using var response = await browser.Http.GetAsync(Browser.App("fwd.test", "/outpost/start?rd=/x"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("traefik")]
    public async Task SessionThatPolicyNoLongerAdmits_Gets403(string flavour)
    {
        using var browser = fixture.Browser("carol");
        var rd = Uri.EscapeDataString(Browser.App("fwd.test", "/page"));
        await browser.FollowAsync(Browser.App("fwd.test", $"/outpost/start?rd={rd}"));
        try
        {
            var config = fixture.Config();
            TestConfig.FindApp(config, "fwd")["access"] = TestConfig.Groups("admins");
            await fixture.ApplyAsync(config);
            using var response = await ingress.AskAsync(browser, flavour, Browser.App("fwd.test", "/page"));

            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.False(response.Headers.Contains("X-Forwarded-User"));
        }
        finally
        {
            await fixture.ApplyAsync(fixture.Config());
        }
    }

    [Fact]
    public async Task DomainMode_OneSignIn_AdmitsEveryHostUnderTheCookieDomain()
    {
        using var browser = fixture.Browser("alice");
        using var challenge = await ingress.AskAsync(browser, "traefik", Browser.App("grafana.apps.test", "/d"));
        var callback = await Ingress.ThroughIdpAsync(browser, challenge.Headers.Location!);
        using var completed = await ingress.AskAsync(browser, "traefik", callback);

        using var first = await ingress.AskAsync(browser, "traefik", Browser.App("grafana.apps.test", "/d"));
        using var second = await ingress.AskAsync(browser, "caddy", Browser.App("wiki.apps.test", "/"));

        Assert.StartsWith(Browser.App("auth.apps.test", "/outpost/callback?"), callback, StringComparison.Ordinal);
        Assert.Equal(Browser.App("grafana.apps.test", "/d"), completed.Headers.Location!.AbsoluteUri);
        AssertIdentity(first, "alice", "admins,staff");
        AssertIdentity(second, "alice", "admins,staff");
    }

    [Fact]
    public async Task DomainMode_UserOutsidePolicy_Gets403AtCallback()
    {
        using var browser = fixture.Browser("carol");
        using var challenge = await ingress.AskAsync(browser, "traefik", Browser.App("grafana.apps.test", "/"));
        var callback = await Ingress.ThroughIdpAsync(browser, challenge.Headers.Location!);

        using var completed = await ingress.AskAsync(browser, "traefik", callback);

        Assert.Equal(HttpStatusCode.Forbidden, completed.StatusCode);
    }

    [Fact]
    public async Task UnknownHost_Gets403()
    {
        using var browser = fixture.Browser();
        using var response = await ingress.AskAsync(browser, "nginx", Browser.App("elsewhere.test", "/"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    public void Dispose() => ingress.Dispose();

    private static void AssertIdentity(HttpResponseMessage response, string user, string groups)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(user, string.Join(',', response.Headers.GetValues("X-Forwarded-User")));
        Assert.Equal(groups, string.Join(',', response.Headers.GetValues("X-Forwarded-Groups")));
        Assert.Equal($"{user}@example.test", string.Join(',', response.Headers.GetValues("X-Forwarded-Email")));
        Assert.Equal(user, string.Join(',', response.Headers.GetValues("X-Forwarded-Preferred-Username")));
    }
}
