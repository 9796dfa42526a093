using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
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

    [Fact]
    public void Build_UnknownPolicy_FailsNamingTheSetting()
    {
        var error = Assert.Throws<InvalidOperationException>(() => IdpApp.Build(
        [
            "--Idp:Issuer=http://127.0.0.1:1/", "--ConnectionStrings:Idp=Host=127.0.0.1",
            "--Idp:Mfa:Policy=Sometimes",
        ]));

        Assert.Contains("Idp:Mfa:Policy", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Everyone", MfaPolicy.Everyone)]
    [InlineData("perapplication", MfaPolicy.PerApplication)]
    public async Task Build_PolicySetting_Bound(string value, MfaPolicy expected)
    {
        await using var app = IdpApp.Build(
        [
            "--Idp:Issuer=http://127.0.0.1:1/", "--ConnectionStrings:Idp=Host=127.0.0.1",
            $"--Idp:Mfa:Policy={value}",
        ]);

        var options = app.Services.GetRequiredService<IOptions<IdpOptions>>().Value;
        Assert.Equal(expected, options.Mfa.Policy);
    }
}
