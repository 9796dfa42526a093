using System.Net;
using Microsoft.Playwright;
using SsoOperator.IdP.Mfa;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>
/// Debian's Chromium against the IdP with MFA required for everyone: forced enrollment on first sign-in, a code
/// on the next, a recovery code once. The client's redirect URI is a loopback address whose requests the
/// browser context answers itself, so the test sees exactly what the client would receive.
/// </summary>
[Collection(ChromiumCollection.Name)]
public sealed class MfaBrowserTests(EveryoneMfaIdpHost idp) : IClassFixture<EveryoneMfaIdpHost>
{
    private const float Timeout = 30_000;

    [Fact]
    public async Task FirstSignIn_EnrollsThenCodeThenRecoveryCodeOnce()
    {
        var user = (await idp.CreateUserAsync(Scenario.Unique("chr"), Scenario.Password, "staff")).UserName!;
        var callback = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/callback");
        var client = await MfaScenario.ClientAsync(idp, requireMfa: false, callback);
        await using var chromium = await HeadlessBrowser.LaunchAsync();

        // First sign-in: password, then straight into enrollment.
        var (page, received) = await SignInAsync(chromium, client, user);
        await page.WaitForURLAsync($"**{MfaEndpoints.EnrollPath}**", new() { Timeout = Timeout });
        Assert.True(await page.EvaluateAsync<bool>("document.querySelector('img.qr').naturalWidth > 100"));
        var otpauth = new Uri((await page.GetAttributeAsync("#otpauth-uri", "href"))!);
        Assert.Equal("Home%20Lab:" + Uri.EscapeDataString(user), otpauth.AbsolutePath.TrimStart('/'));
        var secret = MfaScenario.Secret(otpauth);
        await page.FillAsync("#code", MfaScenario.Code(secret));
        await page.ClickAsync("button[type=submit]");
        await page.WaitForSelectorAsync("#recovery-codes", new() { Timeout = Timeout });
        var codes = await page.Locator("#recovery-codes code").AllInnerTextsAsync();
        await page.ClickAsync("#continue");
        var first = await received.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(10, codes.Count);
        await AssertCodeRedeemsWithOtpAsync(client, first);

        // Next sign-in, on a new device: a code, no enrollment.
        (page, received) = await SignInAsync(chromium, client, user);
        await page.WaitForURLAsync($"**{MfaEndpoints.VerifyPath}**", new() { Timeout = Timeout });
        Assert.Equal("one-time-code", await page.GetAttributeAsync("#code", "autocomplete"));
        await page.FillAsync("#code", MfaScenario.Code(secret, 1));
        await page.ClickAsync($"form[action^='{MfaEndpoints.VerifyPath}'] button");
        await AssertCodeRedeemsWithOtpAsync(client, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));

        // A recovery code works once.
        (page, received) = await SignInAsync(chromium, client, user);
        await UseRecoveryCodeAsync(page, codes[0]);
        await AssertCodeRedeemsWithOtpAsync(client, await received.Task.WaitAsync(TimeSpan.FromSeconds(30)));
        (page, received) = await SignInAsync(chromium, client, user);
        await UseRecoveryCodeAsync(page, codes[0]);
        var alert = await page.Locator("[role=alert]").InnerTextAsync(new() { Timeout = Timeout });
        Assert.Contains("already used", alert, StringComparison.Ordinal);
        Assert.False(received.Task.IsCompleted);
    }

    private static async Task<(IPage Page, TaskCompletionSource<Uri> Received)> SignInAsync(
        HeadlessBrowser chromium, OidcClient client, string user)
    {
        var context = await chromium.NewContextAsync();
        var received = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        await context.RouteAsync($"{client.RedirectUri.GetLeftPart(UriPartial.Authority)}/**", async route =>
        {
            received.TrySetResult(new Uri(route.Request.Url));
            await route.FulfillAsync(new() { Status = 200, ContentType = "text/html", Body = "<p>client</p>" });
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync(client.AuthorizeUrl().ToString());
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", Scenario.Password);
        await page.ClickAsync("button[type=submit]");
        return (page, received);
    }

    private static async Task UseRecoveryCodeAsync(IPage page, string code)
    {
        await page.WaitForURLAsync($"**{MfaEndpoints.VerifyPath}**", new() { Timeout = Timeout });
        await page.FillAsync("#recoveryCode", code);
        await page.ClickAsync($"form[action^='{MfaEndpoints.RecoverPath}'] button");
    }

    private async Task AssertCodeRedeemsWithOtpAsync(OidcClient client, Uri callback)
    {
        var query = MfaScenario.QueryParameters(callback);
        Assert.Equal("st-123", query["state"]);
        var tokens = await client.RedeemAsync(query["code"]);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        Assert.Equal(["pwd", "otp"], id.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
    }
}
