using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SsoOperator.IdP.Federation;
using SsoOperator.IdP.Store;
using SsoOperator.IdP.Tests.Mfa;

namespace SsoOperator.IdP.Tests.Federation;

public sealed class IssuerClientTests
{
    [Theory]
    [InlineData(new string[0], "client_secret_basic")]
    [InlineData(new[] { "client_secret_basic", "client_secret_post" }, "client_secret_basic")]
    [InlineData(new[] { "client_secret_post", "private_key_jwt" }, "client_secret_post")]
    [InlineData(new[] { "private_key_jwt" }, "client_secret_basic")]
    public void TokenEndpointAuthMethod_PrefersBasic_PostOnlyWhenBasicIsNotOffered(string[] offered, string chosen)
    {
        Assert.Equal(chosen, IssuerClient.TokenEndpointAuthMethod(offered));
    }

    [Fact]
    public void AuthorizeUrl_OpenIdFirstAndOnce_HostedDomainOnlyWhenSet()
    {
        var source = Source(["email", "openid", "profile"], hostedDomain: null);
        var configuration = new OpenIdConnectConfiguration { AuthorizationEndpoint = "https://issuer.test/auth?x=1" };
        var flow = FederationFlow.Start("google", "/");

        var url = IssuerClient.AuthorizeUrl(source, configuration, new Uri("https://sso.test/cb"), flow);
        var query = MfaScenario.QueryParameters(url);

        Assert.Equal("openid email profile", query["scope"]);
        Assert.Equal("1", query["x"]);
        Assert.False(query.ContainsKey("hd"));
        Assert.Equal(IssuerClient.Challenge(flow.Verifier), query["code_challenge"]);
    }

    [Fact]
    public void Challenge_Rfc7636AppendixB_Example()
    {
        Assert.Equal("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
            IssuerClient.Challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"));
    }

    private static SourceRecord Source(List<string> scopes, string? hostedDomain) => new()
    {
        Slug = "google", DisplayName = "Google", Issuer = "https://issuer.test", ClientId = "c", ClientSecret = "s",
        Scopes = scopes, HostedDomain = hostedDomain, UsernameClaim = "email", OwnerKind = "Source",
        OwnerNamespace = "n", OwnerName = "google",
    };
}
