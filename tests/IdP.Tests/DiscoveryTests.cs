using System.Net;
using System.Text.Json;

namespace SsoOperator.IdP.Tests;

public sealed class SmokeTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task Discovery_Issuer_MatchesConfiguredWithTrailingSlash()
    {
        using var http = new HttpClient();
        var discovery = new Uri(idp.Issuer, ".well-known/openid-configuration");
        var json = JsonDocument.Parse(await http.GetStringAsync(discovery));
        Assert.Equal(idp.Issuer.ToString(), json.RootElement.GetProperty("issuer").GetString());
        Assert.EndsWith("/", json.RootElement.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(idp.Issuer, "readyz"))).StatusCode);
    }
}
