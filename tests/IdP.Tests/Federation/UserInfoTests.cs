using System.Net;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>An issuer whose ID tokens carry no profile claims: userinfo fills them in, not the hosted domain.</summary>
public sealed class UserInfoTests(IdpHost idp, ConformingUpstream upstream)
    : IClassFixture<IdpHost>, IClassFixture<ConformingUpstream>
{
    [Fact]
    public async Task IdTokenWithoutEmail_UserInfoGivesEmailAndName()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);
        var user = (await FederationScenario.LinkedAsync(idp, upstream, person.Sub))?.User;
        var idToken = await upstream.LastIdTokenAsync();

        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status}): {done.Body}");
        Assert.Equal(person.Sub, idToken.GetProperty("sub").GetString());
        Assert.False(idToken.TryGetProperty("email", out _));
        Assert.Equal((person.Email, person.Email, true, person.Name),
            (user!.UserName, user.Email, user.EmailConfirmed, user.DisplayName));
    }

    [Fact]
    public async Task HostedDomainOnlyInUserInfo_Refused()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream, hostedDomain: FederationScenario.Domain);
        var person = await FederationScenario.PersonAsync(upstream, FederationScenario.Domain);
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.False((await upstream.LastIdTokenAsync()).TryGetProperty("hd", out _));
        Assert.Equal(HttpStatusCode.Forbidden, done.Status);
        Assert.Null(await FederationScenario.LinkedAsync(idp, upstream, person.Sub));
    }

    [Fact]
    public async Task UserInfoForAnotherSub_Refused()
    {
        var slug = await FederationScenario.SourceAsync(idp, upstream);
        var person = await FederationScenario.PersonAsync(upstream, tamper: "userinfo-sub");
        var client = await Scenario.ClientAsync(idp);
        using var browser = new Browser();

        var done = await FederationScenario.SignInAsync(browser, upstream, client, slug, person);

        Assert.Equal(HttpStatusCode.BadGateway, done.Status);
        Assert.Contains("described another account", FederationScenario.Alert(done), StringComparison.Ordinal);
        Assert.Empty(await FederationScenario.UsersWithEmailAsync(idp, person.Email!));
    }
}
