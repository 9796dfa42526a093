using System.Net;
using Microsoft.Playwright;
using SsoOperator.IdP.Store;
using SsoOperator.IdP.Tests.Mfa;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>
/// Debian's Chromium through the whole federated login: the downstream app's authorization request, our sign-in
/// page, "Sign in with Upstream", oidc-provider, back to the IdP, and the code at the app, whose ID token names
/// the new user's groups. The app's redirect URI is a loopback address the browser context answers itself.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class FederationBrowserTests(IdpHost idp, Upstream upstream)
    : IClassFixture<IdpHost>, IClassFixture<Upstream>
{
    private const float Timeout = 30_000;

    [Fact]
    public async Task SignInWithUpstream_NewUser_AppGetsACodeWhoseIdTokenCarriesTheGroups()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, groups: ["staff", "newcomers"]);
        var person = await FederationScenario.PersonAsync(upstream);
        var declared = Scenario.Unique("declared");
        await idp.Store.UpsertGroupAsync(new GroupDefinition(declared, [person.Email!],
            new ResourceOwner("Group", "tests", declared)), default);
        var client = await MfaScenario.ClientAsync(idp, requireMfa: false,
            new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/callback"));
        await using var chromium = await HeadlessBrowser.LaunchAsync();
        var context = await chromium.NewContextAsync();
        await context.AddCookiesAsync(
            [new() { Name = Upstream.UserCookie, Value = person.Sub, Url = upstream.Issuer.ToString() }]);
        var received = await InterceptAsync(context, client);

        var page = await context.NewPageAsync();
        await page.GotoAsync(client.AuthorizeUrl().ToString());
        await page.WaitForURLAsync("**/account/login**", new() { Timeout = Timeout });
        var button = page.Locator($"#source-{slug}");
        Assert.Equal("Sign in with Upstream", await button.InnerTextAsync());
        await button.ClickAsync();
        var callback = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var query = MfaScenario.QueryParameters(callback);
        Assert.Equal("st-123", query["state"]);
        var tokens = await client.RedeemAsync(query["code"]);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        Assert.Equal(person.Email, id.GetProperty("preferred_username").GetString());
        Assert.Equal(new[] { declared, "newcomers", "staff" }.Order(StringComparer.Ordinal),
            id.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(["fed"], id.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
    }

    private static async Task<TaskCompletionSource<Uri>> InterceptAsync(IBrowserContext context, OidcClient client)
    {
        var received = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.RouteAsync($"{client.RedirectUri.GetLeftPart(UriPartial.Authority)}/**", async route =>
        {
            received.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<p>client</p>" });
        });
        return received;
    }
}
