namespace SsoOperator.Crds.Tests;

public sealed class SourceSpecTests
{
    private static SourceSpec Valid() => new()
    {
        DisplayName = "Google",
        Oidc = new OidcSourceSpec
        {
            Issuer = "https://accounts.google.com",
            ClientId = "abc.apps.googleusercontent.com",
            ClientSecret = new() { SecretRef = new() { Name = "google-oidc", Key = "client-secret" } },
        },
    };

    [Fact]
    public void Validate_ValidSpec_ReturnsNoErrors()
    {
        Assert.Empty(Valid().Validate());
    }

    [Theory]
    [InlineData("http://127.0.0.1:8081")]
    [InlineData("http://[::1]:8081/realms/test")]
    [InlineData("https://login.example.com/tenant")]
    public void Validate_HttpsOrLoopbackHttpIssuer_IsAccepted(string issuer)
    {
        var spec = Valid();
        spec.Oidc.Issuer = issuer;

        Assert.Empty(spec.Validate());
    }

    [Fact]
    public void Validate_HttpIssuerNotOnLoopback_RefusedAskingForHttps()
    {
        var spec = Valid();
        spec.Oidc.Issuer = "http://accounts.google.com";

        var error = Assert.Single(spec.Validate());

        Assert.Equal("spec.oidc.issuer", error.Path);
        Assert.Contains("must use https", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://accounts.google.com?tenant=a")]
    [InlineData("https://accounts.google.com/#top")]
    public void Validate_IssuerWithQueryOrFragment_Refused(string issuer)
    {
        var spec = Valid();
        spec.Oidc.Issuer = issuer;

        var error = Assert.Single(spec.Validate());

        Assert.Equal("spec.oidc.issuer", error.Path);
        Assert.Contains("query or fragment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_HttpIssuerWithQuery_ReportsBothProblems()
    {
        var spec = Valid();
        spec.Oidc.Issuer = "http://accounts.google.com?tenant=a";

        var messages = spec.Validate().Select(e => e.Message).ToList();

        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Contains("query or fragment", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("must use https", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_EveryFieldWrong_ReportsEachPath()
    {
        var spec = Valid();
        spec.DisplayName = " ";
        spec.Oidc.Issuer = "accounts.google.com";
        spec.Oidc.ClientId = "";
        spec.Oidc.ClientSecret.SecretRef.Name = "";
        spec.NewUsers.Groups = ["family", ""];

        var paths = spec.Validate().Select(error => error.Path);

        Assert.Equal(
            [
                "spec.displayName", "spec.oidc.issuer", "spec.oidc.clientId", "spec.oidc.clientSecret.secretRef.name",
                "spec.newUsers.groups[1]",
            ],
            paths);
    }

    [Fact]
    public void EffectiveSlug_WithoutSlug_IsTheName()
    {
        var source = new Source { Metadata = new() { Name = "google" }, Spec = Valid() };

        Assert.Equal("google", source.EffectiveSlug);
        source.Spec.Slug = "workspace";
        Assert.Equal("workspace", source.EffectiveSlug);
    }
}
