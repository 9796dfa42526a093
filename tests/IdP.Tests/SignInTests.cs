using System.Net;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace SsoOperator.IdP.Tests;

public sealed class SignInTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task SignIn_FiveWrongPasswords_LockedEvenWithRightPassword()
    {
        var user = Scenario.Unique("lock");
        await idp.CreateUserAsync(user, Scenario.Password);
        using var browser = new Browser();
        var page = await browser.GoAsync(new Uri(idp.Issuer, "account/login"));

        for (var i = 0; i < 5; i++)
        {
            page = await browser.SignInAsync(page, user, "wrong-password");
        }
        var locked = await browser.SignInAsync(page, user, Scenario.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Contains("locked", locked.Body, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", locked.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("Signed in as", (await browser.GoAsync(idp.Issuer)).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignIn_DisabledUser_RefusedLikeWrongPassword()
    {
        var user = Scenario.Unique("off");
        await idp.CreateUserAsync(user, Scenario.Password);
        await idp.SetDisabledAsync(user, disabled: true);
        using var browser = new Browser();

        var page = await browser.SignInAsync(await browser.GoAsync(new Uri(idp.Issuer, "account/login")),
            user, Scenario.Password);

        Assert.Equal(HttpStatusCode.Unauthorized, page.Status);
        Assert.Contains("not correct", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_WithoutJavaScript_HasLabelledFieldsAndNoScript()
    {
        using var browser = new Browser();

        var page = await browser.GoAsync(new Uri(idp.Issuer, "account/login?returnUrl=/"));

        Assert.Contains("<label for=\"username\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("<label for=\"password\">", page.Body, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", page.Body, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task ClientSecret_RepeatedTokenRequests_VerifiedOnceThenFromCache()
    {
        var client = await Scenario.ClientAsync(idp, grants: ["client_credentials"]);
        var cache = (MemoryCache)idp.Services.GetRequiredService<IMemoryCache>();
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };

        var first = await client.PostAsync("connect/token", new(form));
        var second = await client.PostAsync("connect/token", new(form));
        var wrong = await new OidcClient(idp.Issuer, client.ClientId, "wrong", client.RedirectUri)
            .PostAsync("connect/token", new(form));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        var entries = cache.Keys.OfType<string>().Where(k => k.StartsWith($"client-secret:{client.ClientId}:",
            StringComparison.Ordinal));
        Assert.Single(entries);
    }

    [Fact]
    public async Task Probes_AndMetrics_Served()
    {
        using var http = new HttpClient();

        var healthz = await http.GetAsync(new Uri(idp.Issuer, "healthz"));
        var readyz = await http.GetStringAsync(new Uri(idp.Issuer, "readyz"));
        var metrics = await http.GetStringAsync(new Uri(idp.Issuer, "metrics"));

        Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        Assert.Equal("Healthy", readyz);
        Assert.Contains("http_requests_received_total", metrics, StringComparison.Ordinal);
    }
}
