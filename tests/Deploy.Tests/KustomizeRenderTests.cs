using System.Text.Json.Nodes;

namespace SsoOperator.Deploy.Tests;

/// <summary>deploy/kustomize renders with kubectl's kustomize (v2) into what docs/install.md promises.</summary>
public sealed class KustomizeRenderTests
{
    public static TheoryData<string, int> Trees() => new()
    {
        { "base", 1 }, { "overlays/homelab", 1 }, { "overlays/ha", 2 }, { "overlays/namespaced", 1 },
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public async Task Render_EachTree_InstallsCrdsOperatorAndIdp(string tree, int replicas)
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize(tree));

        Assert.Equal(
            ["applications.ssooperator.dev", "groups.ssooperator.dev", "outposts.ssooperator.dev",
                "providers.ssooperator.dev", "sources.ssooperator.dev"],
            objects.OfKind("CustomResourceDefinition").Select(crd => crd["metadata"]!["name"]!.ToString())
                .Order(StringComparer.Ordinal));
        foreach (var name in (string[])["idp", "ssooperator"])
        {
            var deployment = objects.Single("Deployment", name);
            Assert.Equal("sso", deployment["metadata"]!["namespace"]!.ToString());
            Assert.Equal(replicas.ToString(), deployment["spec"]!["replicas"]!.ToString());
        }
        Assert.Equal("9000", objects.Single("Service", "idp")["spec"]!["ports"]![0]!["port"]!.ToString());
        Assert.Equal("ssooperator", objects.Single("ServiceAccount", "ssooperator")["metadata"]!["name"]!.ToString());
    }

    [Theory]
    [MemberData(nameof(Trees))]
    public async Task Render_EachContainer_RunsNonRootReadOnlyWithoutPrivilegesAndProbed(string tree, int _)
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize(tree));

        foreach (var deployment in objects.OfKind("Deployment"))
        {
            var pod = deployment["spec"]!["template"]!["spec"]!;
            Assert.Equal("true", pod["securityContext"]!["runAsNonRoot"]!.ToString());
            Assert.Equal("RuntimeDefault", pod["securityContext"]!["seccompProfile"]!["type"]!.ToString());
            foreach (var container in pod["containers"]!.AsArray().Select(c => c!))
            {
                var security = container["securityContext"]!;
                Assert.Equal("true", security["readOnlyRootFilesystem"]!.ToString());
                Assert.Equal("false", security["allowPrivilegeEscalation"]!.ToString());
                Assert.Equal(["ALL"], security["capabilities"]!["drop"]!.AsArray().Select(c => c!.ToString()));
                Assert.Equal("/healthz", container["livenessProbe"]!["httpGet"]!["path"]!.ToString());
                Assert.Equal("/readyz", container["readinessProbe"]!["httpGet"]!["path"]!.ToString());
            }
        }
    }

    [Theory]
    [MemberData(nameof(Trees))]
    public async Task Render_Images_HaveDefaultNamesAndTags(string tree, int _)
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize(tree));

        Assert.Equal("ghcr.io/ssooperator/idp:0.1.0", Container(objects, "idp")["image"]!.ToString());
        Assert.Equal("ghcr.io/ssooperator/operator:0.1.0", Container(objects, "ssooperator")["image"]!.ToString());
    }

    [Fact]
    public async Task Render_Operator_ReadsDatabaseFromSecretAndNamesItsLeaseFromTheDownwardApi()
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize("base"));
        var env = Env(Container(objects, "ssooperator"));

        Assert.Equal("idp-database", env["ConnectionStrings__Idp"]!["valueFrom"]!["secretKeyRef"]!["name"]!.ToString());
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]!["valueFrom"]!["fieldRef"]!["fieldPath"]!.ToString());
        Assert.Equal("metadata.name", env["POD_NAME"]!["valueFrom"]!["fieldRef"]!["fieldPath"]!.ToString());
        var idp = Env(Container(objects, "idp"));
        Assert.Equal("idp-database", idp["ConnectionStrings__Idp"]!["valueFrom"]!["secretKeyRef"]!["name"]!.ToString());
    }

    [Fact]
    public async Task Render_IdpConfig_IsSharedByIdpAndOperatorUnderItsHashedName()
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize("overlays/homelab"));
        var config = objects.OfKind("ConfigMap").Single();
        var name = config["metadata"]!["name"]!.ToString();

        Assert.StartsWith("idp-config-", name);
        Assert.Equal("sso", config["metadata"]!["namespace"]!.ToString());
        Assert.Equal("https://sso.home.example.com/", config["data"]!["Idp__Issuer"]!.ToString());
        foreach (var deployment in (string[])["idp", "ssooperator"])
        {
            Assert.Equal(name, Container(objects, deployment)["envFrom"]![0]!["configMapRef"]!["name"]!.ToString());
        }
    }

    [Fact]
    public async Task Render_Namespaced_BindsTheClusterRoleInTheWatchedNamespaceOnly()
    {
        var objects = await Manifests.RenderObjectsAsync(Repository.Kustomize("overlays/namespaced"));

        Assert.Empty(objects.OfKind("ClusterRoleBinding"));
        var binding = objects.OfKind("RoleBinding").Single(b => b["roleRef"]!["kind"]!.ToString() == "ClusterRole");
        Assert.Equal("apps", binding["metadata"]!["namespace"]!.ToString());
        Assert.Equal("apps", Env(Container(objects, "ssooperator"))["WatchNamespace"]!["value"]!.ToString());
    }

    private static JsonNode Container(IEnumerable<JsonObject> objects, string deployment) =>
        objects.Single("Deployment", deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!;

    private static Dictionary<string, JsonNode> Env(JsonNode container) =>
        container["env"]!.AsArray().ToDictionary(e => e!["name"]!.ToString(), e => e!);
}
