using System.Net;

namespace SsoOperator.IdP.Tests;

/// <summary>An IdP whose authorization codes expire after two seconds, so that expiry can be observed.</summary>
public sealed class ShortCodeIdpHost() : IdpHost(["--Idp:AuthorizationCodeLifetime=00:00:02"]);

public sealed class ExpiredCodeTests(ShortCodeIdpHost idp) : IClassFixture<ShortCodeIdpHost>
{
    [Fact]
    public async Task Redeem_ExpiredCode_InvalidGrantAndNoToken()
    {
        var client = await Scenario.ClientAsync(idp);
        var user = client.ClientId + "-user";
        await idp.CreateUserAsync(user, Scenario.Password, "staff");
        using var browser = new Browser();
        var code = await Scenario.CodeAsync(browser, client, user);

        await Task.Delay(TimeSpan.FromSeconds(4));
        var response = await client.RedeemAsync(code);

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("invalid_grant", response["error"]);
        Assert.Null(response["access_token"]);
        Assert.Null(response["id_token"]);
    }
}
