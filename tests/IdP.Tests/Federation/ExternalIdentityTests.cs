using System.Text.Json;
using SsoOperator.IdP.Federation;

namespace SsoOperator.IdP.Tests.Federation;

public sealed class ExternalIdentityTests
{
    [Theory]
    [InlineData("true", true)]
    [InlineData("\"true\"", true)]
    [InlineData("false", false)]
    [InlineData("\"false\"", false)]
    [InlineData("\"yes\"", false)]
    [InlineData("1", false)]
    public void FromPayload_EmailVerified_BooleanOrTheStringTrue(string json, bool verified)
    {
        var payload = Parse($$"""{"iss":"https://i/","sub":"1","email_verified":{{json}}}""");

        var identity = ExternalIdentity.FromPayload(payload);

        Assert.Equal(verified, identity.EmailVerified);
    }

    [Fact]
    public void FromPayload_GoogleLikeToken_AllClaimsRead()
    {
        var identity = ExternalIdentity.FromPayload(Parse("""
            {"iss":"https://accounts.google.com","sub":"1098","email":"ann@corp.test","email_verified":true,
             "name":"Ann","hd":"corp.test","aud":"x"}
            """));

        Assert.Equal(new ExternalIdentity("https://accounts.google.com", "1098", "ann@corp.test", true, "Ann", null,
            "corp.test"), identity);
    }

    [Fact]
    public void FromPayload_BlankOrNonStringClaims_Absent()
    {
        var identity = ExternalIdentity.FromPayload(Parse("""{"iss":"i","sub":"2","email":" ","hd":7,"name":null}"""));

        Assert.Equal((null, null, null, false), (identity.Email, identity.HostedDomain, identity.Name,
            identity.EmailVerified));
    }

    [Fact]
    public void WithUserInfo_FillsOnlyGaps_NeverTheHostedDomain()
    {
        var fromToken = new ExternalIdentity("https://i/", "3", null, false, "Token Name", null, null);
        var userInfo = Parse("""
            {"sub":"3","email":"ann@corp.test","email_verified":true,"name":"Other","preferred_username":"ann",
             "hd":"corp.test"}
            """);

        var identity = fromToken.WithUserInfo(userInfo);

        Assert.Equal(new ExternalIdentity("https://i/", "3", "ann@corp.test", true, "Token Name", "ann", null),
            identity);
    }

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;
}
