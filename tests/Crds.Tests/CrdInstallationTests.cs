using k8s;
using k8s.Models;

namespace SsoOperator.Crds.Tests;

public sealed class CrdInstallationTests
{
    public static TheoryData<string> Examples() =>
        [.. Repository.Examples().Select(Path.GetFileName).OfType<string>()];

    [Fact]
    public async Task Install_EveryCrd_IsEstablishedWithNamesAndCategory()
    {
        var server = await Cluster.WithCrdsAsync();
        using var client = server.CreateClient();

        foreach (var info in SsoApi.Kinds)
        {
            var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(info.CrdName);

            Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
            Assert.Equal(info.Kind, crd.Spec.Names.Kind);
            Assert.Equal(info.ShortNames, crd.Spec.Names.ShortNames);
            Assert.Equal([SsoApi.Category], crd.Spec.Names.Categories);
            Assert.Equal("Namespaced", crd.Spec.Scope);
        }
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_AppliedServerSide_IsAccepted(string file)
    {
        var server = await Cluster.WithCrdsAsync();
        var ns = await server.NamespaceAsync("example");

        var manifest = await File.ReadAllTextAsync(Path.Combine(Repository.ExamplesDirectory, file));

        var output = await server.ApplyAsync(ns, manifest);

        Assert.Contains("serverside-applied", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Quickstart_AppliedWithKustomize_GetsSchemaDefaults()
    {
        var server = await Cluster.WithCrdsAsync();
        var ns = await server.NamespaceAsync("quickstart");
        await server.FreshKubectlAsync("apply", "--server-side", "-n", ns, "-k",
            Path.Combine(Repository.ExamplesDirectory, "quickstart"));
        using var client = server.CreateClient();

        var provider = await ReadAsync<Provider>(client, ns, "quickstart");
        var application = await ReadAsync<Application>(client, ns, "quickstart");

        var oauth2 = provider.Spec.OAuth2!;
        Assert.Equal(ClientType.Confidential, oauth2.ClientType);
        Assert.Equal(PkceMode.Required, oauth2.Pkce);
        Assert.Equal(["openid", "profile", "email", "groups", "offline_access"], oauth2.Scopes);
        Assert.Equal("10m", oauth2.AccessTokenLifetime);
        Assert.Equal("quickstart-oidc", oauth2.ClientSecret!.Generate!.SecretName);
        Assert.Equal("quickstart", provider.EffectiveClientId);
        Assert.False(application.Spec.Access.RequireMfa);
        Assert.Equal("quickstart", application.EffectiveSlug);
    }

    [Fact]
    public async Task Status_PatchedThroughSubresource_ShowsInGetSso()
    {
        var server = await Cluster.WithCrdsAsync();
        var ns = await server.NamespaceAsync("status");
        using var client = server.CreateClient();
        var provider = new Provider
        {
            Metadata = new V1ObjectMeta { Name = "grafana" },
            Spec = { Proxy = new() { ExternalHost = "https://g.example.com", InternalHost = "http://g" } },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(
            provider, SsoApi.Group, SsoApi.Version, ns, Provider.Info.Plural);

        provider.Status = new ProviderStatus
        {
            ObservedGeneration = 1,
            ClientId = "grafana",
            Conditions = [new Condition
            {
                Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = Reasons.Reconciled,
                Message = "applied", ObservedGeneration = 1, LastTransitionTime = DateTime.UtcNow,
            }],
        };
        var body = KubernetesJson.Serialize(new { status = provider.Status });
        var patch = new V1Patch(body, V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(
            patch, SsoApi.Group, SsoApi.Version, ns, Provider.Info.Plural, "grafana");
        var table = await server.FreshKubectlAsync("get", "sso", "-n", ns);

        var rows = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var row = Assert.Single(rows, line => line.Contains("grafana", StringComparison.Ordinal));
        Assert.Matches(@"^provider\.ssooperator\.dev/grafana\s+True\s+Reconciled\s+grafana\s+\d+s$", row);
    }

    private static async Task<T> ReadAsync<T>(Kubernetes client, string ns, string name)
        where T : ICustomResource
    {
        var json = await client.CustomObjects.GetNamespacedCustomObjectAsync(
            T.Info.Group, T.Info.Version, ns, T.Info.Plural, name);
        return KubernetesJson.Deserialize<T>(json.ToString()!);
    }
}
