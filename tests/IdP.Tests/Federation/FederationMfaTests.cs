using System.Net;
using SsoOperator.IdP.Mfa;
using SsoOperator.IdP.Tests.Mfa;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>`Idp:Mfa:Policy=Everyone`: a federated sign-in is a first factor like a password, no more.</summary>
public sealed class FederationMfaTests(EveryoneMfaIdpHost idp, Upstream upstream)
    : IClassFixture<EveryoneMfaIdpHost>, IClassFixture<Upstream>
{
    [Fact]
    public async Task EveryonePolicy_AfterTheFederatedStep_EnrollsThenAsksForTheCode_AmrFedOtp()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await MfaScenario.ClientAsync(idp, requireMfa: false);

        // First sign-in: no session yet, enrollment first.
        using var browser = new Browser();
        var enrollment = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        Assert.Equal(MfaEndpoints.EnrollPath, enrollment.Url.AbsolutePath);
        Assert.DoesNotContain("Signed in as", (await browser.GoAsync(idp.Issuer)).Body, StringComparison.Ordinal);
        var secret = MfaScenario.Secret(MfaScenario.OtpauthUri(enrollment.Body));
        await browser.SubmitAsync(enrollment, new Dictionary<string, string> { ["code"] = MfaScenario.Code(secret) });
        var first = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        await AssertAmrAsync(client, first, ["fed", "otp"]);

        // Next sign-in on a new device: the federated step, then the code page.
        using var device = new Browser();
        var verify = await FederationScenario.SignInAsync(device, upstream, client, slug, person);
        Assert.Equal(MfaEndpoints.VerifyPath, verify.Url.AbsolutePath);
        var done = await device.SubmitAsync(MfaScenario.FormFor(verify, MfaEndpoints.VerifyPath),
            new Dictionary<string, string> { ["code"] = MfaScenario.Code(secret, 1) }, client.IsRedirect);
        await AssertAmrAsync(client, done, ["fed", "otp"]);
    }

    private async Task AssertAmrAsync(OidcClient client, Step callback, string[] amr)
    {
        Assert.True(client.IsRedirect(callback.Url), $"ended at {callback.Url} ({callback.Status}): {callback.Body}");
        var tokens = await client.RedeemAsync(callback.Query("code")!);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        var id = Scenario.Payload(await Scenario.VerifyAsync(idp, tokens["id_token"]!, client.ClientId));
        Assert.Equal(amr, id.GetProperty("amr").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(AuthenticationMethods.MfaLevel, id.GetProperty("acr").GetString());
    }
}
