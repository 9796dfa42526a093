using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP.Tests.Mfa;

public sealed class AuthenticationMethodsTests
{
    [Theory]
    [InlineData(new[] { "pwd" }, new[] { "pwd", "otp" })]
    [InlineData(new[] { "fed" }, new[] { "fed", "otp" })]
    [InlineData(new[] { "fed", "pwd" }, new[] { "fed", "pwd", "otp" })]
    [InlineData(new[] { "pwd", "otp" }, new[] { "pwd", "otp" })]
    [InlineData(new string[0], new[] { "pwd", "otp" })]
    public void WithOneTimePassword_KeepsTheFirstFactorAddsOtpOnce(string[] first, string[] expected)
    {
        Assert.Equal(expected, AuthenticationMethods.WithOneTimePassword(first));
    }

    [Theory]
    [InlineData(new[] { "pwd" }, AuthenticationMethods.PasswordLevel)]
    [InlineData(new[] { "fed" }, AuthenticationMethods.FederatedLevel)]
    [InlineData(new[] { "fed", "pwd" }, AuthenticationMethods.PasswordLevel)]
    [InlineData(new[] { "fed", "otp" }, AuthenticationMethods.MfaLevel)]
    public void Level_NamesTheStrongestStep(string[] amr, string level)
    {
        Assert.Equal(level, AuthenticationMethods.Level(amr));
    }
}
