namespace SsoOperator.IdP.Tests;

/// <summary>An IdP that trusts the loopback proxy to speak for the client.</summary>
public sealed class ProxiedIdpHost() : IdpHost(["--Idp:TrustedProxies:0=127.0.0.0/8"]);

public sealed class ForwardedHeadersTests(ProxiedIdpHost proxied) : IClassFixture<ProxiedIdpHost>,
    IClassFixture<IdpHost>
{
    [Fact]
    public async Task Authorize_FromTrustedProxy_RedirectsToForwardedSchemeAndHost()
    {
        var location = await LoginRedirectAsync(proxied);

        Assert.StartsWith("https://sso.example.com/account/login", location, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_WithoutTrustedProxies_IgnoresForwardedHeaders()
    {
        await using var direct = new IdpHost();
        await direct.InitializeAsync();

        var location = await LoginRedirectAsync(direct);

        Assert.StartsWith(direct.Issuer + "account/login", location, StringComparison.Ordinal);
    }

    private static async Task<string> LoginRedirectAsync(IdpHost idp)
    {
        var client = await Scenario.ClientAsync(idp);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, client.AuthorizeUrl());
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "sso.example.com");
        using var response = await http.SendAsync(request);
        return response.Headers.Location?.ToString() ?? "";
    }
}
