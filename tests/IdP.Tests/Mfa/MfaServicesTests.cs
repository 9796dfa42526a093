using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP.Tests.Mfa;

public sealed class MfaServicesTests
{
    [Fact]
    public async Task KeepAuthenticationMethods_PrincipalRebuiltBySecurityStampCheck_KeepsAmrAndAcr()
    {
        var current = new ClaimsPrincipal(new ClaimsIdentity(
            AuthenticationMethods.SessionClaims(AuthenticationMethods.PasswordAndOtp), "Identity.Application"));
        var rebuilt = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "u1"), new Claim("amr", "pwd")],
            "Identity.Application"));

        await MfaServices.KeepAuthenticationMethods(new SecurityStampRefreshingPrincipalContext
        {
            CurrentPrincipal = current, NewPrincipal = rebuilt,
        });

        Assert.Equal(["pwd", "otp"], AuthenticationMethods.Read(rebuilt));
        Assert.Equal(AuthenticationMethods.MfaLevel, rebuilt.FindFirst("acr")?.Value);
        Assert.Equal("u1", rebuilt.FindFirst("sub")?.Value);
    }

    [Fact]
    public void Read_JsonArrayClaimFromToken_SameAsOneClaimPerValue()
    {
        var fromToken = new ClaimsPrincipal(new ClaimsIdentity([new Claim("amr", "[\"pwd\",\"otp\"]")]));

        Assert.Equal(["pwd", "otp"], AuthenticationMethods.Read(fromToken));
        Assert.True(AuthenticationMethods.HasSecondFactor(fromToken));
        Assert.True(AuthenticationMethods.HasSecondFactor(["mfa"]));
        Assert.False(AuthenticationMethods.HasSecondFactor(["pwd"]));
    }
}
