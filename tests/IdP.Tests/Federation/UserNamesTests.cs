using SsoOperator.IdP.Federation;

namespace SsoOperator.IdP.Tests.Federation;

public sealed class UserNamesTests
{
    private const string Allowed = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";

    [Theory]
    [InlineData("email", "ann@corp.test", true, "ann", "ann@corp.test")]
    [InlineData("email", null, true, "ann", "ann")]
    [InlineData("email", "ann@corp.test", false, "ann", "ann")]
    [InlineData("email", "ann@corp.test", false, null, "1098")]
    [InlineData("preferred_username", "ann@corp.test", true, "ann", "ann")]
    [InlineData("preferred_username", "ann@corp.test", true, null, "ann@corp.test")]
    [InlineData("preferred_username", null, false, "ann smith", "1098")]
    public void BaseName_ClaimThenTheOtherThenSub(
        string claim, string? email, bool verified, string? preferred, string expected)
    {
        var identity = new ExternalIdentity("https://i/", "1098", email, verified, null, preferred, null);

        Assert.Equal(expected, UserNames.BaseName(claim, identity, Allowed));
    }

    [Fact]
    public void BaseName_PreferredUsernameLookingLikeSomeoneElsesEmail_NotUsed()
    {
        // A generic issuer lets people pick any preferred_username; an address there proves nothing.
        var identity = new ExternalIdentity("https://i/", "77", "me@corp.test", true, null, "boss@corp.test", null);

        Assert.Equal("me@corp.test", UserNames.BaseName("preferred_username", identity, Allowed));
    }

    [Fact]
    public void BaseName_NothingUsable_Refused()
    {
        var identity = new ExternalIdentity("https://i/", "sub with spaces", null, false, null, null, null);

        var error = Assert.Throws<FederationException>(() => UserNames.BaseName("email", identity, Allowed));

        Assert.Equal("user-name-invalid", error.Reason);
    }
}
