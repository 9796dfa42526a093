using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>
/// Sign-in with `Idp:Mfa:Policy=PerApplication` (the default), over real HTTP: enrollment, the code page,
/// step-up, lockout and recovery codes, and what the tokens say.
/// </summary>
public sealed class MfaSignInTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Authorize_AppWithoutRequireMfa_PasswordOnlySessionAdmittedWithAmrPwd()
    {
        var user = await UserAsync();
        var client = await MfaScenario.ClientAsync(idp, requireMfa: false);
        using var browser = new Browser();

        var tokens = await client.RedeemAsync(await Scenario.CodeAsync(browser, client, user));

        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        Assert.Equal(["pwd"], Strings(id, "amr"));
        Assert.Equal(AuthenticationMethods.PasswordLevel, id.GetProperty("acr").GetString());
    }

    [Fact]
    public async Task Authorize_AppRequiringMfa_EnrollmentBeforeAnySessionThenCodeWithAmrOtp()
    {
        var user = await UserAsync();
        var client = await MfaScenario.ClientAsync(idp, requireMfa: true);
        using var browser = new Browser();

        var enrollment = await browser.SignInAsync(await browser.GoAsync(client.AuthorizeUrl()), user,
            Scenario.Password, client.IsRedirect);

        Assert.Equal(MfaEndpoints.EnrollPath, enrollment.Url.AbsolutePath);
        Assert.Contains("src=\"data:image/png;base64,", enrollment.Body, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"one-time-code\"", enrollment.Body, StringComparison.Ordinal);
        Assert.Contains("inputmode=\"numeric\"", enrollment.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", enrollment.Body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Signed in as", (await browser.GoAsync(idp.Issuer)).Body, StringComparison.Ordinal);

        var secret = MfaScenario.Secret(MfaScenario.OtpauthUri(enrollment.Body));
        var wrong = await browser.SubmitAsync(enrollment, Fields("code", "000000"));
        var shown = await browser.SubmitAsync(wrong, Fields("code", MfaScenario.Code(secret)));
        var codes = MfaScenario.RecoveryCodes(shown.Body);
        var done = await browser.GoAsync(ContinueLink(shown), client.IsRedirect);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.Status);
        Assert.Equal(10, codes.Count);
        Assert.True(client.IsRedirect(done.Url), done.Url.ToString());
        var tokens = await client.RedeemAsync(done.Query("code")!);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        var access = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["access_token"]!));
        Assert.Equal(["pwd", "otp"], Strings(id, "amr"));
        Assert.Equal(["pwd", "otp"], Strings(access, "amr"));
        Assert.Equal(AuthenticationMethods.MfaLevel, id.GetProperty("acr").GetString());

        var refreshed = await client.RefreshAsync(tokens["refresh_token"]!);
        var again = Scenario.Payload(await Scenario.VerifyAsync(idp, refreshed["id_token"]!, client.ClientId));
        Assert.Equal(["pwd", "otp"], Strings(again, "amr"));
    }

    [Fact]
    public async Task Authorize_PasswordSessionThenAppRequiringMfa_StepsUpToCodePage()
    {
        var user = await UserAsync();
        var (secret, _) = await EnrollAsync(user);
        var plain = await MfaScenario.ClientAsync(idp, requireMfa: false);
        var strict = await MfaScenario.ClientAsync(idp, requireMfa: true);
        using var browser = new Browser();
        await Scenario.CodeAsync(browser, plain, user);

        var silent = await browser.GoAsync(strict.AuthorizeUrl(prompt: "none"), strict.IsRedirect);
        var stepUp = await browser.GoAsync(strict.AuthorizeUrl(), strict.IsRedirect);
        var done = await browser.SubmitAsync(stepUp, Fields("code", MfaScenario.Code(secret, 1)), strict.IsRedirect);

        Assert.Equal("interaction_required", silent.Query("error"));
        Assert.Equal(MfaEndpoints.VerifyPath, stepUp.Url.AbsolutePath);
        Assert.True(strict.IsRedirect(done.Url), $"{done.Url}: {done.Body}");
        var tokens = await strict.RedeemAsync(done.Query("code")!);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, strict.ClientId));
        Assert.Equal(["pwd", "otp"], Strings(id, "amr"));
    }

    [Fact]
    public async Task Verify_FiveWrongCodes_LockedEvenForTheRightCode()
    {
        var user = await UserAsync();
        var (secret, _) = await EnrollAsync(user);
        var client = await MfaScenario.ClientAsync(idp, requireMfa: true);
        using var browser = new Browser();
        var page = await browser.SignInAsync(await browser.GoAsync(client.AuthorizeUrl()), user, Scenario.Password,
            client.IsRedirect);

        for (var i = 0; i < 5; i++)
        {
            page = await browser.SubmitAsync(page, Fields("code", "123456"), client.IsRedirect);
        }
        var locked = await browser.SubmitAsync(page, Fields("code", MfaScenario.Code(secret, 1)), client.IsRedirect);

        Assert.Equal(HttpStatusCode.Unauthorized, locked.Status);
        Assert.Contains("locked", locked.Body, StringComparison.Ordinal);
        // The password does not clear the count while the user has an authenticator.
        using var again = new Browser();
        var relogin = await again.SignInAsync(await again.GoAsync(client.AuthorizeUrl()), user, Scenario.Password);
        Assert.Contains("locked", relogin.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recover_RecoveryCode_WorksOnceThenRefused()
    {
        var user = await UserAsync();
        var (_, codes) = await EnrollAsync(user);
        var client = await MfaScenario.ClientAsync(idp, requireMfa: true);

        var first = await RecoverAsync(client, user, codes[0]);
        var second = await RecoverAsync(client, user, codes[0]);
        var other = await RecoverAsync(client, user, codes[1].ToUpperInvariant());

        Assert.True(client.IsRedirect(first.Url), first.Url.ToString());
        Assert.NotNull(first.Query("code"));
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Contains("not correct, or was already used", second.Body, StringComparison.Ordinal);
        Assert.True(client.IsRedirect(other.Url), other.Url.ToString());
        Assert.Equal(8, await MfaScenario.UnusedRecoveryCodesAsync(idp, await IdOfAsync(user)));
    }

    private async Task<Step> RecoverAsync(OidcClient client, string user, string code)
    {
        using var browser = new Browser();
        var verify = await browser.SignInAsync(await browser.GoAsync(client.AuthorizeUrl()), user, Scenario.Password,
            client.IsRedirect);
        Assert.Equal(MfaEndpoints.VerifyPath, verify.Url.AbsolutePath);
        return await browser.SubmitAsync(MfaScenario.FormFor(verify, MfaEndpoints.RecoverPath),
            Fields("recoveryCode", code), client.IsRedirect);
    }

    private async Task<(byte[] Secret, IReadOnlyList<string> Codes)> EnrollAsync(string user)
    {
        using var browser = new Browser();
        return await MfaScenario.EnrollAsync(idp, browser, user);
    }

    private async Task<string> UserAsync() =>
        (await idp.CreateUserAsync(Scenario.Unique("mfa"), Scenario.Password, "staff")).UserName!;

    private async Task<string> IdOfAsync(string user)
    {
        await using var scope = idp.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdpUser>>();
        return (await users.FindByNameAsync(user))!.Id;
    }

    private static Uri ContinueLink(Step page)
    {
        var match = System.Text.RegularExpressions.Regex.Match(page.Body, "id=\"continue\" href=\"([^\"]+)\"");
        Assert.True(match.Success, page.Body);
        return new Uri(page.Url, WebUtility.HtmlDecode(match.Groups[1].Value));
    }

    private static Dictionary<string, string> Fields(string name, string value) => new() { [name] = value };

    private static List<string?> Strings(JsonElement payload, string claim) =>
        [.. payload.GetProperty(claim).EnumerateArray().Select(v => v.GetString())];
}
