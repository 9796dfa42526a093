using System.Text;
using k8s;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;
using static SsoOperator.Operator.Tests.Reconcilers.OutpostFixtures;

namespace SsoOperator.Operator.Tests.Reconcilers;

/// <summary>Proxy Providers and Outposts on a real API server (with the Deployment controller) and IdP store.</summary>
[Collection(OperatorCollection.Name)]
public sealed class OutpostReconcilerTests
{
    private const string Browser = "http://127.0.0.1:9000/";

    [Fact]
    public async Task Apply_ProxyProvider_ReadyWithOutpostClientInTheIdp()
    {
        await using var env = await OperatorEnvironment.StartAsync("proxy");

        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com/", "http://web.apps.svc:8080"));
        var provider = await env.WaitReadyAsync(env.Providers, "web");

        var manager = env.ClientManager();
        var client = await manager.FindByClientIdAsync("web");
        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync("web-proxy-client", env.Namespace);
        var value = Encoding.UTF8.GetString(secret.Data[ClientSecrets.ClientSecretKey]);
        Assert.Equal("web", provider.Status.ClientId);
        Assert.Equal(["https://web.example.com/outpost/callback"],
            (await manager.GetRedirectUrisAsync(client!)).ToArray());
        Assert.Equal(["https://web.example.com/outpost/signed_out"],
            (await manager.GetPostLogoutRedirectUrisAsync(client!)).ToArray());
        Assert.Equal(provider.Metadata.Uid, Assert.Single(secret.Metadata.OwnerReferences).Uid);
        Assert.True(await env.SecretAcceptedAsync("web", value));
    }

    [Fact]
    public async Task Apply_ManagedOutpost_SecretDeploymentServiceAndNotReadyWithoutKubelet()
    {
        await using var env = await OperatorEnvironment.StartAsync("opm");
        var outposts = await OutpostsAsync(env);

        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("edge", Browser, true, "web"));
        // First "rolling out", then, once the Deployment controller has reported, "0 of 1 available".
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Message?
            .StartsWith("0 of 1 replicas available", StringComparison.Ordinal) == true, "0 of 1 replicas");

        var outpost = (await outposts.GetAsync(new ObjectKey(env.Namespace, "edge"), CancellationToken.None))!;
        Assert.Equal(Reasons.DeploymentNotReady, (await ReadyAsync(outposts, env, "edge"))!.Reason);
        var json = await ConfigJsonAsync(env, "edge");
        var deployment = await env.Client.AppsV1.ReadNamespacedDeploymentAsync("edge", env.Namespace);
        var service = await env.Client.CoreV1.ReadNamespacedServiceAsync("edge", env.Namespace);
        Assert.Equal(OutpostConfig.Hash(json), outpost.Status.ConfigHash);
        Assert.Equal(["web"], outpost.Status.Applications);
        Assert.Equal(0, outpost.Status.ReadyReplicas);
        Assert.Equal(outpost.Status.ConfigHash,
            deployment.Spec.Template.Metadata.Annotations[OutpostResources.ConfigHashAnnotation]);
        Assert.Equal(outpost.Metadata.Uid, Assert.Single(deployment.Metadata.OwnerReferences).Uid);
        Assert.Equal(outpost.Metadata.Uid, Assert.Single(service.Metadata.OwnerReferences).Uid);
        Assert.Contains("\"externalHost\": \"https://web.example.com\"", json, StringComparison.Ordinal);
        Assert.Contains("\"clientId\": \"web\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.UTF8.GetString((await env.Client.CoreV1.ReadNamespacedSecretAsync(
            "web-proxy-client", env.Namespace)).Data[ClientSecrets.ClientSecretKey]), outpost.Status.Conditions
            .Select(c => c.Message).Aggregate("", string.Concat), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PodsBecomeReady_ManagedOutpost_ReadyWithReadyReplicas()
    {
        await using var env = await OperatorEnvironment.StartAsync("opr");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("edge", Browser, true, "web"));
        await TestCluster.EventuallyAsync(async () => (await env.Client.CoreV1.ListNamespacedPodAsync(
            env.Namespace)).Items.Count == 1, "the Deployment controller to create the pod");

        await MarkPodsReadyAsync(env, "edge");

        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Status ==
            ConditionStatus.True, "the Outpost to be Ready");
        var outpost = (await outposts.GetAsync(new ObjectKey(env.Namespace, "edge"), CancellationToken.None))!;
        Assert.Equal(1, outpost.Status.ReadyReplicas);
        Assert.Equal(Reasons.Reconciled, (await ReadyAsync(outposts, env, "edge"))!.Reason);
        Assert.Equal($"1 of 1 replicas available with config {outpost.Status.ConfigHash![..12]}",
            (await ReadyAsync(outposts, env, "edge"))!.Message);
    }

    [Fact]
    public async Task Apply_UnmanagedOutpost_OnlyTheSecretAndReady()
    {
        await using var env = await OperatorEnvironment.StartAsync("opu");
        var outposts = await OutpostsAsync(env);

        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("gitops", Browser, false, "web"));
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Status ==
            ConditionStatus.True, "the Outpost to be Ready");

        Assert.Empty((await env.Client.AppsV1.ListNamespacedDeploymentAsync(env.Namespace)).Items);
        Assert.Empty((await env.Client.CoreV1.ListNamespacedServiceAsync(env.Namespace)).Items);
        Assert.Contains("\"slug\": \"web\"", await ConfigJsonAsync(env, "gitops"), StringComparison.Ordinal);
        var outpost = (await outposts.GetAsync(new ObjectKey(env.Namespace, "gitops"), CancellationToken.None))!;
        Assert.Null(outpost.Status.ReadyReplicas);
    }

    [Fact]
    public async Task SwitchToUnmanaged_ManagedOutpost_DeploymentAndServiceRemoved()
    {
        await using var env = await OperatorEnvironment.StartAsync("ops");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("edge", Browser, true, "web"));
        await TestCluster.EventuallyAsync(async () => (await env.Client.AppsV1.ListNamespacedDeploymentAsync(
            env.Namespace)).Items.Count == 1, "the Deployment");

        await env.ApplyAsync(OutpostManifest("edge", Browser, false, "web"));

        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Status ==
            ConditionStatus.True, "the Outpost to be Ready unmanaged");
        Assert.Empty((await env.Client.AppsV1.ListNamespacedDeploymentAsync(env.Namespace)).Items);
        Assert.Empty((await env.Client.CoreV1.ListNamespacedServiceAsync(env.Namespace)).Items);
    }

    [Fact]
    public async Task Apply_MissingApplication_ApplicationNotFoundThenServedOnceItExists()
    {
        await using var env = await OperatorEnvironment.StartAsync("opn");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(OutpostManifest("gitops", Browser, false, "late"));
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Reason ==
            Reasons.ApplicationNotFound, "reason ApplicationNotFound");
        Assert.Contains("spec.applicationRefs[0].name", (await ReadyAsync(outposts, env, "gitops"))!.Message,
            StringComparison.Ordinal);

        await env.ApplyAsync(ProxyProvider("late", "https://late.example.com", "http://late.apps.svc:8080") +
            "\n---\n" + ProxyApplication("late", "late"));

        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Status ==
            ConditionStatus.True, "the Outpost to be Ready");
        Assert.Contains("\"slug\": \"late\"", await ConfigJsonAsync(env, "gitops"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Apply_ApplicationWithOAuth2Provider_ProviderNotProxyStalledNamingTheField()
    {
        await using var env = await OperatorEnvironment.StartAsync("opx");
        var outposts = await OutpostsAsync(env);

        await env.ApplyAsync(Manifests.GeneratedProvider("native") + "\n---\n" +
            Manifests.Application("native", "native") + "\n---\n" +
            OutpostManifest("gitops", Browser, false, "native"));

        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Reason ==
            Reasons.ProviderNotProxy, "reason ProviderNotProxy");
        var outpost = (await outposts.GetAsync(new ObjectKey(env.Namespace, "gitops"), CancellationToken.None))!;
        var ready = outpost.Status.Conditions.Single(c => c.Type == "Ready");
        Assert.Contains("spec.applicationRefs[0].name", ready.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatus.True, outpost.Status.Conditions.Single(c => c.Type == "Stalled").Status);
        Assert.Empty((await env.Client.CoreV1.ListNamespacedSecretAsync(env.Namespace,
            labelSelector: "app.kubernetes.io/instance=gitops")).Items);
    }

    [Fact]
    public async Task AddApplication_ManagedOutpost_NewHashRollsPodsAndSessionKeyIsKept()
    {
        await using var env = await OperatorEnvironment.StartAsync("opa");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("a", "https://a.example.com", "http://a.apps.svc:8080") + "\n---\n" +
            ProxyApplication("a", "a") + "\n---\n" + ProxyProvider("b", "https://b.example.com",
            "http://b.apps.svc:8080") + "\n---\n" + ProxyApplication("b", "b") + "\n---\n" +
            OutpostManifest("edge", Browser, true, "a"));
        await env.WaitReadyAsync(env.Applications, "b");
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Reason ==
            Reasons.DeploymentNotReady, "the first config");
        var before = await env.Client.CoreV1.ReadNamespacedSecretAsync("edge-config", env.Namespace);

        await env.ApplyAsync(OutpostManifest("edge", Browser, true, "a", "b"));

        await TestCluster.EventuallyAsync(async () => (await ConfigJsonAsync(env, "edge")).Contains(
            "\"slug\": \"b\"", StringComparison.Ordinal), "app b in the config");
        var after = await env.Client.CoreV1.ReadNamespacedSecretAsync("edge-config", env.Namespace);
        var hash = OutpostConfig.Hash(await ConfigJsonAsync(env, "edge"));
        await TestCluster.EventuallyAsync(async () => (await env.Client.AppsV1.ReadNamespacedDeploymentAsync(
            "edge", env.Namespace)).Spec.Template.Metadata.Annotations[OutpostResources.ConfigHashAnnotation] == hash,
            "the pod template to carry the new hash");
        Assert.Equal(before.Data[OutpostResources.SessionKeyKey], after.Data[OutpostResources.SessionKeyKey]);
        Assert.Equal(32, Convert.FromBase64String(Encoding.UTF8.GetString(
            after.Data[OutpostResources.SessionKeyKey])).Length);
        var outpost = (await outposts.GetAsync(new ObjectKey(env.Namespace, "edge"), CancellationToken.None))!;
        Assert.Equal(["a", "b"], outpost.Status.Applications);
    }

    [Fact]
    public async Task Resync_UnchangedOutpost_WritesNothing()
    {
        await using var env = await OperatorEnvironment.StartAsync("opq");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("edge", Browser, true, "web"));
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Reason ==
            Reasons.DeploymentNotReady, "reason DeploymentNotReady");
        await Task.Delay(1500);
        var versions = await VersionsAsync(env, outposts);

        await Task.Delay(5000); // more than two resync periods

        Assert.Equal(versions, await VersionsAsync(env, outposts));
    }

    [Fact]
    public async Task RotateProviderSecret_ConfigFollowsWithinSeconds()
    {
        await using var env = await OperatorEnvironment.StartAsync("opt");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("gitops", Browser, false, "web"));
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Status ==
            ConditionStatus.True, "the Outpost to be Ready");

        await env.Client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(
            new { stringData = new Dictionary<string, string> { ["clientSecret"] = "rotated-by-hand" } },
            V1Patch.PatchType.MergePatch), "web-proxy-client", env.Namespace);

        await TestCluster.EventuallyAsync(async () => (await ConfigJsonAsync(env, "gitops")).Contains(
            "rotated-by-hand", StringComparison.Ordinal), "the new secret in the config", TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Apply_ConfigSecretNameTaken_ObjectConflictAndTheSecretUntouched()
    {
        await using var env = await OperatorEnvironment.StartAsync("opc");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(Manifests.Secret("gitops-config", "someone-elses"));

        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("gitops", Browser, false, "web"));

        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "gitops"))?.Reason ==
            Reasons.ObjectConflict, "reason ObjectConflict");
        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync("gitops-config", env.Namespace);
        Assert.Equal(["client-secret"], secret.Data.Keys);
        Assert.Contains("not owned by this Outpost", (await ReadyAsync(outposts, env, "gitops"))!.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task HandEdit_DeploymentReplicas_PutBack()
    {
        await using var env = await OperatorEnvironment.StartAsync("opd");
        var outposts = await OutpostsAsync(env);
        await env.ApplyAsync(ProxyProvider("web", "https://web.example.com", "http://web.apps.svc:8080") +
            "\n---\n" + ProxyApplication("web", "web") + "\n---\n" + OutpostManifest("edge", Browser, true, "web"));
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "edge"))?.Reason ==
            Reasons.DeploymentNotReady, "the Deployment");

        await env.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { spec = new { replicas = 5 } },
            V1Patch.PatchType.MergePatch), "edge", env.Namespace);

        await TestCluster.EventuallyAsync(async () => (await env.Client.AppsV1.ReadNamespacedDeploymentAsync("edge",
            env.Namespace)).Spec.Replicas == 1, "replicas back at 1", TimeSpan.FromSeconds(10));
    }

    private static async Task<string> VersionsAsync(OperatorEnvironment env, IResourceApi<Crds.Outpost> outposts)
    {
        var key = new ObjectKey(env.Namespace, "edge");
        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync("edge-config", env.Namespace);
        var deployment = await env.Client.AppsV1.ReadNamespacedDeploymentAsync("edge", env.Namespace);
        var service = await env.Client.CoreV1.ReadNamespacedServiceAsync("edge", env.Namespace);
        var outpost = await outposts.GetAsync(key, CancellationToken.None);
        return $"{secret.Metadata.ResourceVersion} {deployment.Metadata.Generation} " +
            $"{service.Metadata.ResourceVersion} {outpost!.Metadata.ResourceVersion}";
    }
}
