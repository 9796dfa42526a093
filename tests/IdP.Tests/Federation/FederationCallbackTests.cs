using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>
/// The protocol edges of federated login: what the sign-in page and /start send, and every callback the IdP must
/// refuse (forged or replayed state, an issuer's error, ID tokens that fail OpenID Connect Core 1.0, 3.1.3.7).
/// </summary>
public sealed class FederationCallbackTests(IdpHost idp, Upstream upstream)
    : IClassFixture<IdpHost>, IClassFixture<Upstream>
{
    [Fact]
    public async Task LoginPage_ListsASource_WithoutContactingItsIssuer_StartDoes()
    {
        // The issuer is a loopback listener that counts connections and closes them unanswered.
        using var issuer = new TcpListener(IPAddress.Loopback, 0);
        issuer.Start();
        var connections = 0;
        _ = Task.Run(async () =>
        {
            while (true)
            {
                using var socket = await issuer.AcceptSocketAsync();
                Interlocked.Increment(ref connections);
            }
        });
        var slug = Scenario.Unique("quiet");
        var address = new Uri($"http://127.0.0.1:{((IPEndPoint)issuer.LocalEndpoint).Port}/");
        await idp.Store.UpsertSourceAsync(new SourceDefinition(slug, "Quiet", address, "id", "secret", ["openid"],
            null, "email", true, [], new ResourceOwner("Source", "tests", slug)), default);
        using var browser = new Browser();

        var page = await browser.GoAsync(new Uri(idp.Issuer, "account/login?returnUrl=%2Fconnect%2Fauthorize%3Fx%3D1"));
        var evil = await browser.GoAsync(new Uri(idp.Issuer, "account/login?returnUrl=https%3A%2F%2Fevil.example%2F"));
        var beforeStart = Volatile.Read(ref connections);
        var start = await browser.GoAsync(new Uri(idp.Issuer, FederationScenario.SourceLink(page.Body, slug)));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.Contains("Sign in with Quiet", page.Body, StringComparison.Ordinal);
        Assert.Equal($"/federation/{slug}/start?returnUrl=%2Fconnect%2Fauthorize%3Fx%3D1",
            FederationScenario.SourceLink(page.Body, slug));
        Assert.Equal($"/federation/{slug}/start?returnUrl=%2F", FederationScenario.SourceLink(evil.Body, slug));
        Assert.Equal(0, beforeStart);
        Assert.True(Volatile.Read(ref connections) >= 1);
        Assert.Equal(HttpStatusCode.BadGateway, start.Status);
        Assert.Contains("Quiet could not be reached", FederationScenario.Alert(start), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Start_RedirectsWithCodePkceStateNonceScopesAndFlowCookie()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, hostedDomain: FederationScenario.Domain);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false });

        using var response = await http.GetAsync(new Uri(idp.Issuer, $"federation/{slug}/start?returnUrl=%2Fx"));
        var location = response.Headers.Location!;
        var query = Mfa.MfaScenario.QueryParameters(location);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(new Uri(upstream.Issuer, "auth").ToString(), location.GetLeftPart(UriPartial.Path));
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(FederationScenario.RedirectUri(idp, slug).ToString(), query["redirect_uri"]);
        Assert.Equal("openid email profile", query["scope"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal(43, query["code_challenge"].Length);
        Assert.True(query["state"].Length >= 43 && query["nonce"].Length >= 43);
        Assert.NotEqual(query["state"], query["nonce"]);
        Assert.Equal(FederationScenario.Domain, query["hd"]);
        Assert.StartsWith("sso.idp.federation=", cookie, StringComparison.Ordinal);
        Assert.Contains("path=/federation", cookie, StringComparison.Ordinal);
        Assert.Contains("samesite=lax", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Callback_ForgedState_Refused()
    {
        var (slug, person, callback, browser) = await UpToTheCallbackAsync();
        using var _ = browser;
        var forged = new Uri(callback.ToString().Replace("state=", "state=x", StringComparison.Ordinal));

        var done = await browser.GoAsync(forged);

        Assert.Equal(HttpStatusCode.BadRequest, done.Status);
        Assert.Contains("did not start in this browser", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
        Assert.NotNull(slug);
    }

    [Fact]
    public async Task Callback_IssParameterOfAnotherIssuer_Refused()
    {
        var (_, person, callback, browser) = await UpToTheCallbackAsync();
        using var _ = browser;
        var query = Mfa.MfaScenario.QueryParameters(callback);
        var sent = query.GetValueOrDefault("iss");
        query["iss"] = "https://elsewhere.test/";
        var mixedUp = new Uri(QueryHelpers.AddQueryString(callback.GetLeftPart(UriPartial.Path), query!));

        var done = await browser.GoAsync(mixedUp);

        Assert.Equal(upstream.Issuer.ToString(), sent);
        Assert.Equal(HttpStatusCode.BadRequest, done.Status);
        Assert.Contains("did not come from Upstream", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task Callback_FlowCookieTamperedWith_Refused()
    {
        var (_, person, callback, browser) = await UpToTheCallbackAsync();
        using var _ = browser;
        var cookie = browser.Cookies.GetCookies(callback).Single(c => c.Name == "sso.idp.federation");
        var tail = cookie.Value.EndsWith("AAAAAA", StringComparison.Ordinal) ? "BBBBBB" : "AAAAAA";
        cookie.Value = cookie.Value[..^6] + tail;

        var done = await browser.GoAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, done.Status);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task Callback_InAnotherBrowser_Refused()
    {
        // Login CSRF: someone else's callback URL, opened in a browser that never started the sign-in.
        var (_, person, callback, browser) = await UpToTheCallbackAsync();
        using var __ = browser;
        using var victim = new Browser();

        var done = await victim.GoAsync(callback);

        Assert.Equal(HttpStatusCode.BadRequest, done.Status);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task Callback_Replayed_RefusedTheSecondTime()
    {
        var (_, person, callback, browser) = await UpToTheCallbackAsync();
        using var _ = browser;

        var first = await browser.GoAsync(callback, url => url.AbsolutePath == "/");
        var again = await browser.GoAsync(callback);

        Assert.Equal(new Uri(idp.Issuer, "/"), first.Url);
        Assert.NotNull(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
    }

    [Theory]
    [InlineData("nonce", "nonce")]
    [InlineData("aud", "audience")]
    [InlineData("iss", "issuer")]
    [InlineData("expired", "expired")]
    [InlineData("signature", "signature")]
    public async Task IdToken_FailingACheck_RefusedAndNoUserCreated(string tamper, string check)
    {
        var (slug, person, callback, browser) = await UpToTheCallbackAsync(tamper);
        using var _ = browser;

        var done = await browser.GoAsync(callback);

        Assert.Equal(HttpStatusCode.BadGateway, done.Status);
        Assert.Contains($"failed the {check} check", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Empty(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
        Assert.Equal(1, await FederationScenario.AuditedAsync(idp, slug, "error"));
    }

    [Fact]
    public async Task IssuerAnswersAccessDenied_ClearPageNoUser()
    {
        var (_, person, callback, browser) = await UpToTheCallbackAsync(deny: true);
        using var _ = browser;

        var done = await browser.GoAsync(callback);

        Assert.Equal("access_denied", Mfa.MfaScenario.QueryParameters(callback)["error"]);
        Assert.Equal(HttpStatusCode.BadRequest, done.Status);
        Assert.Contains("cancelled or not allowed", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Empty(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
    }

    [Fact]
    public async Task WrongClientSecret_TokenEndpointRefuses_PageNamesTheError()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var record = await SourceRowAsync(slug);
        await idp.Store.UpsertSourceAsync(new SourceDefinition(slug, "Upstream", upstream.Issuer, record.ClientId,
            "not-the-secret", record.Scopes, null, "email", true, [], record.Owner), default);
        var person = await FederationScenario.PersonAsync(upstream);
        using var browser = new Browser();
        browser.Cookies.Add(upstream.Issuer, new Cookie(Upstream.UserCookie, person.Sub));

        var done = await browser.GoAsync(new Uri(idp.Issuer, $"federation/{slug}/start"));

        Assert.Equal(HttpStatusCode.BadGateway, done.Status);
        Assert.Contains("refused to finish the sign-in (invalid_client)", FederationScenario.Alert(done),
            StringComparison.Ordinal);
    }

    // Through the upstream and back, stopping just before the IdP's callback runs.
    private async Task<(string Slug, UpstreamAccount Person, Uri Callback, Browser Browser)> UpToTheCallbackAsync(
        string? tamper = null, bool deny = false)
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream, tamper: tamper, deny: deny);
        var browser = new Browser();
        browser.Cookies.Add(upstream.Issuer, new Cookie(Upstream.UserCookie, person.Sub));
        var callbackPath = $"/federation/{slug}/callback";
        var stop = await browser.GoAsync(new Uri(idp.Issuer, $"federation/{slug}/start?returnUrl=%2F"),
            url => url.AbsolutePath == callbackPath);
        Assert.Equal(callbackPath, stop.Url.AbsolutePath);
        return (slug, person, stop.Url, browser);
    }

    private async Task<SourceRecord> SourceRowAsync(string slug)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IdpDbContext>();
        return await db.Sources.AsNoTracking().SingleAsync(s => s.Slug == slug);
    }
}
