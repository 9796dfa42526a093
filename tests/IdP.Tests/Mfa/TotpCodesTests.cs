using SsoOperator.IdP.Mfa;

namespace SsoOperator.IdP.Tests.Mfa;

public sealed class TotpCodesTests
{
    // RFC 6238, appendix B: the SHA-1 test key and a time in the middle of step 0x23523EC (37037036).
    private static readonly byte[] Key = "12345678901234567890"u8.ToArray();
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1111111109);
    private const long NowStep = 1111111109 / 30;

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(1)]
    public void Match_CodeWithinOneStepOfDrift_ReturnsItsStep(int drift)
    {
        var code = TotpCodes.Compute(Key, Now.AddSeconds(30 * drift));

        Assert.Equal(NowStep + drift, TotpCodes.Match(Key, code, Now));
    }

    [Theory]
    [InlineData(-2)]
    [InlineData(2)]
    [InlineData(-10)]
    public void Match_CodeTwoOrMoreStepsAway_Refused(int drift)
    {
        var code = TotpCodes.Compute(Key, Now.AddSeconds(30 * drift));

        Assert.Null(TotpCodes.Match(Key, code, Now));
    }

    [Fact]
    public void Compute_Rfc6238TestVector_MatchesPublishedValue()
    {
        // Appendix B lists 07081804 for 8 digits at 1111111109; authenticator apps show the last six.
        Assert.Equal("081804", TotpCodes.Compute(Key, Now));
    }

    [Theory]
    [InlineData("081 804")]
    [InlineData(" 081804\n")]
    public void Match_CodeWithSpaces_Accepted(string typed) =>
        Assert.Equal(NowStep, TotpCodes.Match(Key, typed, Now));

    [Theory]
    [InlineData("")]
    [InlineData("81804")]
    [InlineData("0818045")]
    [InlineData("08180a")]
    public void Match_NotSixDigits_Refused(string typed) => Assert.Null(TotpCodes.Match(Key, typed, Now));

    [Fact]
    public void OtpauthUri_ParsedIndependently_HoldsTheSameParameters()
    {
        var secret = TotpCodes.NewSecret();

        var uri = new Uri(TotpCodes.OtpauthUri("Home Lab & Co", "alice@example.com", secret));

        Assert.Equal("otpauth", uri.Scheme);
        Assert.Equal("totp", uri.Host);
        var label = uri.AbsolutePath.TrimStart('/');
        Assert.Equal("Home%20Lab%20%26%20Co:alice%40example.com", label);
        Assert.Equal("Home Lab & Co:alice@example.com", Uri.UnescapeDataString(label));
        var query = MfaScenario.QueryParameters(uri);
        Assert.Equal(["secret", "issuer", "algorithm", "digits", "period"], query.Keys);
        Assert.Equal("Home Lab & Co", query["issuer"]);
        Assert.Equal("SHA1", query["algorithm"]);
        Assert.Equal("6", query["digits"]);
        Assert.Equal("30", query["period"]);
        Assert.DoesNotContain('=', query["secret"]);
        Assert.Matches("^[A-Z2-7]{32}$", query["secret"]);
        Assert.Equal(secret, OtpNet.Base32Encoding.ToBytes(query["secret"]));
    }

    [Fact]
    public void Base32_SecretOfTenBytes_HasNoPadding()
    {
        // 10 bytes are 16 base32 characters exactly; 11 bytes would need padding that the URI must not carry.
        Assert.Equal("GEZDGNBVGY3TQOJQ", TotpCodes.Base32("1234567890"u8.ToArray()));
        Assert.Equal("GEZDGNBVGY3TQOJQGE", TotpCodes.Base32("12345678901"u8.ToArray()));
    }

    [Fact]
    public void RecoveryCodeHash_IgnoresCaseAndSeparatorsButNotTheUser()
    {
        var code = RecoveryCodes.New();

        Assert.Matches("^[a-z2-9]{5}-[a-z2-9]{5}$", code);
        Assert.Equal(RecoveryCodes.Hash("u1", code), RecoveryCodes.Hash("u1", code.ToUpperInvariant().Replace("-", " ",
            StringComparison.Ordinal)));
        Assert.NotEqual(RecoveryCodes.Hash("u1", code), RecoveryCodes.Hash("u2", code));
    }
}
