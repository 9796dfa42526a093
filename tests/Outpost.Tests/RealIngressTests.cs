using System.Net;
using System.Net.Http.Json;
using SsoOperator.Outpost.Tests.Infrastructure;

namespace SsoOperator.Outpost.Tests;

/// <summary>
/// Real nginx (auth_request) and real Caddy (forward_auth) in front of the outpost's forward-auth
/// endpoint and the echo app, configured as docs/outpost.md shows; the browser only talks to them.
/// </summary>
[Collection(GateCollection.Name)]
public sealed class RealIngressTests(GateFixture fixture)
{
    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task NoSession_PageLoad_SentToIdp(string kind)
    {
        using var browser = await BrowserAsync(kind);

        using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("fwd.test", "/page")));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith(TestIdp.BrowserUrl + "auth?", response.Headers.Location!.AbsoluteUri,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task NoSession_ApiCall_Gets401(string kind)
    {
        using var browser = await BrowserAsync(kind);
        using var request = new HttpRequestMessage(HttpMethod.Get, Browser.App("fwd.test", "/api"));
        request.Headers.Add("X-Requested-With", "XMLHttpRequest");

        using var response = await browser.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task SignIn_ThroughIngress_AppSeesIdentityAndNoForgedHeaders(string kind)
    {
        using var browser = await BrowserAsync(kind, "carol");
        var (signedIn, hops) = await browser.FollowAsync(Browser.App("fwd.test", "/page?a=b"));

        using var request = Browser.Navigate(Browser.App("fwd.test", "/next"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-User", "mallory");
        request.Headers.TryAddWithoutValidation("X-Forwarded-Groups", "admins");
        using var next = await browser.Http.SendAsync(request);
        var echo = await next.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(Browser.App("fwd.test", "/page?a=b"), hops[^1]);
        Assert.Equal("/next", echo!.Path);
        Assert.Equal("carol", echo.Header("X-Forwarded-User"));
        Assert.Equal("staff", echo.Header("X-Forwarded-Groups"));
        Assert.Equal("carol@example.test", echo.Header("X-Forwarded-Email"));
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task SignIn_DeniedGroup_Gets403(string kind)
    {
        using var browser = await BrowserAsync(kind, "bob");

        var (response, _) = await browser.FollowAsync(Browser.App("fwd.test", "/page"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("nginx")]
    [InlineData("caddy")]
    public async Task SkipPath_NoSession_PassesWithoutIdentity(string kind)
    {
        using var browser = await BrowserAsync(kind);
        using var request = Browser.Navigate(Browser.App("fwd.test", "/health"));
        request.Headers.TryAddWithoutValidation("X-Forwarded-User", "mallory");

        using var response = await browser.Http.SendAsync(request);
        var echo = await response.Content.ReadFromJsonAsync<EchoReply>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/health", echo!.Path);
        // nginx drops the header; Caddy 2.6 sends it empty (see ForwardAuthEndpoint): never mallory.
        Assert.True(string.IsNullOrEmpty(echo.Header("X-Forwarded-User")), echo.Header("X-Forwarded-User"));
    }

    private async Task<Browser> BrowserAsync(string kind, string user = "alice")
    {
        var ingress = await fixture.IngressAsync(kind);
        return new Browser(fixture.Idp, ingress.Port, user);
    }
}
