namespace SsoOperator.Crds.Tests;

public sealed class OutpostSpecTests
{
    private static OutpostSpec Valid() => new()
    {
        ApplicationRefs = [new LocalObjectReference { Name = "guacamole" }],
        BrowserUrl = "https://sso.example.com",
    };

    [Fact]
    public void Validate_ValidSpec_ReturnsNoErrors()
    {
        Assert.Empty(Valid().Validate());
    }

    [Fact]
    public void Validate_DuplicateAndEmptyRefs_NamesEachIndex()
    {
        var spec = Valid();
        spec.ApplicationRefs.Add(new LocalObjectReference { Name = "" });
        spec.ApplicationRefs.Add(new LocalObjectReference { Name = "guacamole" });

        var errors = spec.Validate();

        Assert.Equal(["spec.applicationRefs[1].name", "spec.applicationRefs[2].name"], errors.Select(e => e.Path));
        Assert.Contains("listed twice", errors[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BadUrlsAndNegativeReplicas_NamesEachField()
    {
        var spec = Valid();
        spec.BrowserUrl = "sso.example.com";
        spec.IdpUrl = "tcp://idp:9000";
        spec.Deployment.Replicas = -1;

        var paths = spec.Validate().Select(error => error.Path);

        Assert.Equal(["spec.browserUrl", "spec.idpUrl", "spec.deployment.replicas"], paths);
    }

    [Fact]
    public void EffectiveIdpUrl_WithoutIdpUrl_IsBrowserUrl()
    {
        var outpost = new Outpost { Spec = Valid() };

        Assert.Equal("https://sso.example.com", outpost.EffectiveIdpUrl);
        outpost.Spec.IdpUrl = "http://idp.sso.svc:9000";
        Assert.Equal("http://idp.sso.svc:9000", outpost.EffectiveIdpUrl);
    }
}
