using System.Text;
using k8s;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Reconcilers;

using Outpost = SsoOperator.Crds.Outpost;

/// <summary>Manifests and cluster look-ups the Outpost tests share.</summary>
public static class OutpostFixtures
{
    public static string ProxyProvider(string name, string externalHost, string internalHost) => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Provider
        metadata: {"{"}name: {name}{"}"}
        spec:
          proxy:
            mode: proxy
            externalHost: {externalHost}
            internalHost: {internalHost}
            skipPaths: ["^/health$"]
        """;

    public static string ProxyApplication(string name, string provider, string group = "users") => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Application
        metadata: {"{"}name: {name}{"}"}
        spec:
          displayName: {name}
          providerRef: {"{"}name: {provider}{"}"}
          access: {"{"}groups: [{group}]{"}"}
        """;

    public static string OutpostManifest(string name, string browserUrl, bool managed,
        params string[] applications) => $"""
        apiVersion: ssooperator.dev/v1alpha1
        kind: Outpost
        metadata: {"{"}name: {name}{"}"}
        spec:
          applicationRefs: [{string.Join(", ", applications.Select(a => $"{{name: {a}}}"))}]
          browserUrl: {browserUrl}
          deployment: {"{"}managed: {(managed ? "true" : "false")}{"}"}
        """;

    public static async Task<CustomResourceApi<Outpost>> OutpostsAsync(OperatorEnvironment env)
    {
        await env.Kube.KubectlAsync("wait", "--for=condition=Established", "--timeout=60s",
            "crd/outposts.ssooperator.dev");
        return new CustomResourceApi<Outpost>(env.Client,
            new CustomResourceType(Crds.Outpost.Info.Group, Crds.Outpost.Info.Version, Crds.Outpost.Info.Plural,
                Crds.Outpost.Info.Kind), env.Namespace);
    }

    /// <summary>The config file the operator wrote, as the kubelet would project it into the pods.</summary>
    public static async Task<string> ConfigJsonAsync(OperatorEnvironment env, string outpost)
    {
        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync($"{outpost}-config", env.Namespace);
        return Encoding.UTF8.GetString(secret.Data[OutpostResources.ConfigKey]);
    }

    public static async Task<Condition?> ReadyAsync(IResourceApi<Outpost> outposts, OperatorEnvironment env,
        string name) =>
        (await outposts.GetAsync(new ObjectKey(env.Namespace, name), CancellationToken.None))?.Status.Conditions
            .FirstOrDefault(c => c.Type == ConditionTypes.Ready);

    /// <summary>What a kubelet does once a container passes its readiness probe: Ready pods.</summary>
    public static async Task MarkPodsReadyAsync(OperatorEnvironment env, string outpost)
    {
        var pods = await env.Client.CoreV1.ListNamespacedPodAsync(env.Namespace,
            labelSelector: $"app.kubernetes.io/instance={outpost}");
        foreach (var pod in pods.Items.Where(p => p.Metadata.DeletionTimestamp is null))
        {
            var now = DateTime.UtcNow;
            var status = new
            {
                status = new
                {
                    phase = "Running",
                    conditions = new[]
                    {
                        new { type = "Ready", status = "True", lastTransitionTime = now },
                        new { type = "ContainersReady", status = "True", lastTransitionTime = now },
                    },
                },
            };
            await env.Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch),
                pod.Metadata.Name, env.Namespace);
        }
    }
}
