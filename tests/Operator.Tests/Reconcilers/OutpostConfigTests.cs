using System.Security.Cryptography;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;

namespace SsoOperator.Operator.Tests.Reconcilers;

using ConfigValidator = SsoOperator.Outpost.Configuration.ConfigValidator;
using OutpostConfigFile = SsoOperator.Outpost.Configuration.OutpostConfigFile;

/// <summary>The operator's config file against the gate's own reader: the contract between the two.</summary>
public sealed class OutpostConfigTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void ToJson_AllModes_GateValidatorAcceptsEveryApp()
    {
        var json = Sample().ToJson();

        var result = ConfigValidator.Parse(json);

        Assert.Empty(result.Errors.Select(e => $"{e.Path}: {e.Message}"));
        Assert.Equal(["web", "guac", "dash"], result.Snapshot!.Apps.Select(a => a.Slug));
        Assert.StartsWith("sso/edge (", result.Snapshot.Revision, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_ReadBackByTheGate_WritesTheSameText()
    {
        var json = Sample().ToJson();

        var file = System.Text.Json.JsonSerializer.Deserialize<OutpostConfigFile>(json)!;

        Assert.Equal(json, file.ToJson());
    }

    [Fact]
    public void Hash_Revision_MatchesWhatTheGateReportsOnPing()
    {
        var json = Sample().ToJson();

        var revision = ConfigValidator.Parse(json).Snapshot!.Revision;

        Assert.Equal($"sso/edge ({OutpostConfig.Hash(json)[..12]})", revision);
    }

    [Fact]
    public void ToJson_SameInput_SameTextAndHash()
    {
        Assert.Equal(Sample().ToJson(), Sample().ToJson());
        Assert.Equal(OutpostConfig.Hash(Sample().ToJson()), OutpostConfig.Hash(Sample().ToJson()));
        Assert.Equal(64, OutpostConfig.Hash("{}").Length);
    }

    [Theory]
    [InlineData(ProxyMode.Proxy, "proxy")]
    [InlineData(ProxyMode.ForwardAuth, "forwardAuth")]
    [InlineData(ProxyMode.ForwardAuthDomain, "forwardAuthDomain")]
    public void ModeName_EachMode_GateSpelling(ProxyMode mode, string expected) =>
        Assert.Equal(expected, OutpostConfig.ModeName(mode));

    [Fact]
    public void ToString_SessionAndApp_NeverShowSecrets()
    {
        var config = Sample();

        var text = $"{config} {config.Session} {config.Apps[0]}";

        Assert.DoesNotContain(Key, text, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", text, StringComparison.Ordinal);
    }

    private static OutpostConfig Sample() => new("sso/edge",
        new OutpostIdp("https://sso.example.com/", "http://idp.sso.svc:9000/"), new OutpostSession(null, null, Key),
        [
            new OutpostApp("web", "proxy", "https://web.example.com", "http://web.apps.svc:8080", ["^/health$"],
                null, "web", "s3cret-web", false, new OutpostAccess(["users"], [], false)),
            new OutpostApp("guac", "forwardAuth", "https://guac.example.com", null, [], null, "guac",
                "s3cret-guac", false, new OutpostAccess([], ["ada"], true)),
            new OutpostApp("dash", "forwardAuthDomain", "https://auth.apps.example.com", null, [],
                "apps.example.com", "dash", "s3cret-dash", false, new OutpostAccess(["admins"], [], false)),
        ]);
}
