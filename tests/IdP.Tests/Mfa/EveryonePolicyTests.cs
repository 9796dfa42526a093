using System.Net;
using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP.Tests.Mfa;

/// <summary>`Idp:Mfa:Policy=Everyone`: the first administrator and every application need the second factor.</summary>
public sealed class EveryonePolicyTests(EveryoneMfaIdpHost idp) : IClassFixture<EveryoneMfaIdpHost>
{
    [Fact]
    public async Task SetupLink_FirstAdministrator_EnrollsBeforeAnySession()
    {
        var link = new Uri((await File.ReadAllTextAsync(idp.SetupLinkFile)).Trim());
        using var browser = new Browser();

        var enrollment = await browser.SubmitAsync(await browser.GoAsync(link), new Dictionary<string, string>
        {
            ["username"] = "first-admin", ["email"] = "admin@example.com",
            ["password"] = Scenario.Password, ["confirm"] = Scenario.Password,
        });
        var before = await browser.GoAsync(idp.Issuer);
        var secret = MfaScenario.Secret(MfaScenario.OtpauthUri(enrollment.Body));
        var shown = await browser.SubmitAsync(enrollment, new Dictionary<string, string>
        {
            ["code"] = MfaScenario.Code(secret),
        });
        var after = await browser.GoAsync(idp.Issuer);

        Assert.Equal(MfaEndpoints.EnrollPath, enrollment.Url.AbsolutePath);
        Assert.DoesNotContain("Signed in as", before.Body, StringComparison.Ordinal);
        Assert.Equal(10, MfaScenario.RecoveryCodes(shown.Body).Count);
        Assert.Contains("Signed in as first-admin", after.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_AppWithoutRequireMfa_StillNeedsTheSecondFactor()
    {
        var user = (await idp.CreateUserAsync(Scenario.Unique("all"), Scenario.Password, "staff")).UserName!;
        var client = await MfaScenario.ClientAsync(idp, requireMfa: false);
        using var browser = new Browser();
        using var other = new Browser();

        var next = await browser.SignInAsync(await browser.GoAsync(client.AuthorizeUrl()), user, Scenario.Password,
            client.IsRedirect);
        var silent = await other.GoAsync(client.AuthorizeUrl(prompt: "none"), client.IsRedirect);

        Assert.Equal(MfaEndpoints.EnrollPath, next.Url.AbsolutePath);
        Assert.Equal(HttpStatusCode.OK, next.Status);
        Assert.Equal("login_required", silent.Query("error"));
    }
}
