using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Oidc;

namespace SsoOperator.Outpost.Tests;

public sealed class IdpUrlsTests
{
    private static readonly IdpLocation Split =
        new(new Uri("https://sso.example.com/"), new Uri("http://idp.sso.svc:9000/"));

    [Theory]
    [InlineData("http://idp.sso.svc:9000/connect/authorize", "https://sso.example.com/connect/authorize")]
    [InlineData("https://sso.example.com/connect/authorize", "https://sso.example.com/connect/authorize")]
    [InlineData("https://other.example.com/authorize", "https://other.example.com/authorize")]
    public void ForBrowser_EndpointOnIdpUrl_MovedToBrowserUrl(string endpoint, string expected) =>
        Assert.Equal(expected, IdpUrls.ForBrowser(Split, endpoint).AbsoluteUri);

    [Theory]
    [InlineData("https://sso.example.com/connect/token?x=1", "http://idp.sso.svc:9000/connect/token?x=1")]
    [InlineData("http://idp.sso.svc:9000/jwks", "http://idp.sso.svc:9000/jwks")]
    public void ForBackChannel_EndpointOnBrowserUrl_MovedToIdpUrl(string endpoint, string expected) =>
        Assert.Equal(expected, IdpUrls.ForBackChannel(Split, endpoint).AbsoluteUri);

    [Fact]
    public void ForBackChannel_BrowserUrlWithPath_KeepsTheRestOfThePath()
    {
        var location = new IdpLocation(new Uri("https://example.com/sso/"), new Uri("http://idp:9000/"));

        Assert.Equal("http://idp:9000/token", IdpUrls.ForBackChannel(location, "https://example.com/sso/token")
            .AbsoluteUri);
    }

    [Fact]
    public void Pkce_Challenge_IsUnpaddedBase64UrlOfSha256()
    {
        // Expected value computed apart from .NET: base64url(sha256(verifier)) without '=' (RFC 7636, 4.2).
        Assert.Equal("7SWRXZbalr77pwUFO28c-og9s7a7encWLUuROMjq13k",
            Pkce.Challenge("dBjftJeZ4CVP-mJ0kTC5xrPfbKOnfWo4zWS3UnrGMGg"));
    }
}
