using System.Text.Json.Nodes;
using k8s;

namespace SsoOperator.Crds.Tests;

public sealed class SerializationTests
{
    public static TheoryData<string> Examples() =>
        [.. Repository.Examples().Concat(Repository.Examples("quickstart")).Select(Path.GetFullPath)];

    [Fact]
    public void Serialize_Provider_UsesApiNamesAndOmitsComputedProperties()
    {
        var provider = new Provider
        {
            Metadata = new() { Name = "grafana" },
            Spec = { OAuth2 = new OAuth2ProviderSpec { ClientType = ClientType.Public, Pkce = PkceMode.Required } },
        };
        provider.Spec.OAuth2.GrantTypes = [GrantType.AuthorizationCode, GrantType.DeviceCode];

        var json = JsonNode.Parse(KubernetesJson.Serialize(provider))!;

        Assert.Equal("ssooperator.dev/v1alpha1", (string?)json["apiVersion"]);
        Assert.Equal("Provider", (string?)json["kind"]);
        var oauth2 = json["spec"]!["oauth2"]!;
        Assert.Equal("public", (string?)oauth2["clientType"]);
        Assert.Equal("required", (string?)oauth2["pkce"]);
        Assert.Equal("[\"authorization_code\",\"device_code\"]", oauth2["grantTypes"]!.ToJsonString());
        Assert.Null(oauth2["effectiveTokenEndpointAuthMethods"]);
        Assert.Null(json["spec"]!["proxy"]);
        Assert.Null(json["effectiveClientId"]);
        Assert.Null(json["currentStatus"]);
    }

    [Fact]
    public void Deserialize_StatusWithConditions_ReadsEveryField()
    {
        const string Json = """
            {"apiVersion":"ssooperator.dev/v1alpha1","kind":"Outpost","metadata":{"name":"o","generation":4},
             "spec":{"browserUrl":"https://sso.example.com"},
             "status":{"observedGeneration":3,"readyReplicas":2,"configHash":"abc","applications":["a"],
               "conditions":[{"type":"Ready","status":"False","reason":"DeploymentNotReady","message":"1/2",
                 "observedGeneration":3,"lastTransitionTime":"2026-12-04T15:00:00Z"}]}}
            """;

        var outpost = KubernetesJson.Deserialize<Outpost>(Json);

        Assert.Equal(3, outpost.Status.ObservedGeneration);
        Assert.Equal(2, outpost.Status.ReadyReplicas);
        var condition = Assert.Single(outpost.CurrentStatus.Conditions);
        Assert.Equal(ConditionStatus.False, condition.Status);
        Assert.Equal(Reasons.DeploymentNotReady, condition.Reason);
        Assert.Equal(new DateTime(2026, 12, 4, 15, 0, 0, DateTimeKind.Utc), condition.LastTransitionTime);
        Assert.True(outpost.Spec.Deployment.Managed);
    }

    [Fact]
    public void Source_SerializedAndRead_RoundTripsEveryField()
    {
        var source = new Source { Metadata = new() { Name = "google" } };
        source.Spec.DisplayName = "Google";
        source.Spec.Slug = "google";
        source.Spec.Oidc = new OidcSourceSpec
        {
            Issuer = "https://accounts.google.com", ClientId = "abc.apps.googleusercontent.com",
            ClientSecret = new() { SecretRef = new() { Name = "google-oidc", Key = "client-secret" } },
            Scopes = ["openid", "email"], HostedDomain = "example.com", UsernameClaim = UsernameClaim.PreferredUsername,
        };
        source.Spec.NewUsers = new NewUserPolicy { Create = false, Groups = ["family"] };
        source.Status = new SourceStatus { Slug = "google", RedirectUri = "https://sso.example.com/x" };

        var json = KubernetesJson.Serialize(source);
        var read = KubernetesJson.Deserialize<Source>(json);

        var node = JsonNode.Parse(json)!;
        Assert.Equal("preferred_username", (string?)node["spec"]!["oidc"]!["usernameClaim"]);
        Assert.Equal("client-secret", (string?)node["spec"]!["oidc"]!["clientSecret"]!["secretRef"]!["key"]);
        Assert.Null(node["effectiveSlug"]);
        Assert.Equal(json, KubernetesJson.Serialize(read));
        Assert.Equal(("example.com", false, "google"), (read.Spec.Oidc.HostedDomain, read.Spec.NewUsers.Create,
            read.Status.Slug));
    }

    [Fact]
    public void Group_SerializedAndRead_RoundTripsEveryField()
    {
        var group = new Group { Metadata = new() { Name = "admins" } };
        group.Spec.GroupName = "homelab-admins";
        group.Spec.Members = ["alice", "bob@example.com"];
        group.Status = new GroupStatus { GroupName = "homelab-admins", MemberCount = 2 };

        var json = KubernetesJson.Serialize(group);
        var read = KubernetesJson.Deserialize<Group>(json);

        var node = JsonNode.Parse(json)!;
        Assert.Equal("Group", (string?)node["kind"]);
        Assert.Equal("[\"alice\",\"bob@example.com\"]", node["spec"]!["members"]!.ToJsonString());
        Assert.Equal(2, (int?)node["status"]!["memberCount"]);
        Assert.Null(node["effectiveGroupName"]);
        Assert.Equal(json, KubernetesJson.Serialize(read));
    }

    [Fact]
    public void Deserialize_MinimalSource_HasTheSchemaDefaults()
    {
        const string Json = """
            {"apiVersion":"ssooperator.dev/v1alpha1","kind":"Source","metadata":{"name":"google"},
             "spec":{"displayName":"Google","oidc":{"issuer":"https://accounts.google.com","clientId":"c",
               "clientSecret":{"secretRef":{"name":"s","key":"k"}}}}}
            """;

        var source = KubernetesJson.Deserialize<Source>(Json);

        Assert.Equal(["openid", "profile", "email"], source.Spec.Oidc.Scopes);
        Assert.Equal(UsernameClaim.Email, source.Spec.Oidc.UsernameClaim);
        Assert.True(source.Spec.NewUsers.Create);
        Assert.Equal("google", source.EffectiveSlug);
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_Deserialized_PassesValidate(string path)
    {
        var json = YamlJson.Convert(File.ReadAllText(path));
        var kind = (string?)JsonNode.Parse(json)!["kind"];

        var errors = kind switch
        {
            "Provider" => KubernetesJson.Deserialize<Provider>(json).Spec.Validate(),
            "Application" => KubernetesJson.Deserialize<Application>(json).Spec.Validate(),
            "Outpost" => KubernetesJson.Deserialize<Outpost>(json).Spec.Validate(),
            "Source" => KubernetesJson.Deserialize<Source>(json).Spec.Validate(),
            "Group" => KubernetesJson.Deserialize<Group>(json).Spec.Validate(),
            _ => throw new InvalidOperationException($"{path}: unknown kind {kind}"),
        };

        Assert.Empty(errors);
    }

    [Fact]
    public void ResourceInfo_ForEachKind_NamesCrd()
    {
        Assert.Equal(
            [
                "providers.ssooperator.dev", "applications.ssooperator.dev", "outposts.ssooperator.dev",
                "sources.ssooperator.dev", "groups.ssooperator.dev",
            ],
            SsoApi.Kinds.Select(info => info.CrdName));
        Assert.Equal("ssooperator.dev/v1alpha1", Provider.Info.ApiVersion);
    }
}
