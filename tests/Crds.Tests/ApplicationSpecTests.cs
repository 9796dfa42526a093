namespace SsoOperator.Crds.Tests;

public sealed class ApplicationSpecTests
{
    private static ApplicationSpec Valid() => new()
    {
        DisplayName = "Grafana",
        ProviderRef = new LocalObjectReference { Name = "grafana" },
        LaunchUrl = "https://grafana.example.com",
        Access = new AccessPolicy { Groups = ["admins"] },
    };

    [Fact]
    public void Validate_ValidSpec_ReturnsNoErrors()
    {
        Assert.Empty(Valid().Validate());
    }

    [Fact]
    public void Validate_EveryFieldWrong_ReportsEachPath()
    {
        var spec = Valid();
        spec.DisplayName = " ";
        spec.ProviderRef.Name = "";
        spec.LaunchUrl = "grafana.example.com";
        spec.Icon = "javascript:alert(1)";
        spec.Access.Users = ["alice", ""];

        var paths = spec.Validate().Select(error => error.Path);

        Assert.Equal(
            ["spec.displayName", "spec.providerRef.name", "spec.launchUrl", "spec.icon", "spec.access.users[1]"],
            paths);
    }

    [Fact]
    public void AdmitsNobody_WithoutRules_IsTrue()
    {
        Assert.True(new AccessPolicy().AdmitsNobody);
        Assert.False(new AccessPolicy { Users = ["alice"] }.AdmitsNobody);
    }

    [Fact]
    public void EffectiveSlug_WithoutSlug_IsTheName()
    {
        var application = new Application { Metadata = new() { Name = "grafana" }, Spec = Valid() };

        Assert.Equal("grafana", application.EffectiveSlug);
        application.Spec.Slug = "dashboards";
        Assert.Equal("dashboards", application.EffectiveSlug);
    }
}
