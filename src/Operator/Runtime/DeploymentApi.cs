using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>List, watch, read and patch apps/v1 Deployments (all namespaces, or <paramref name="scope"/>).</summary>
public sealed class DeploymentApi(IKubernetes client, string? scope = null) : IResourceApi<V1Deployment>
{
    public string Kind => V1Deployment.KubeKind;

    public async Task<ResourceList<V1Deployment>> ListAsync(CancellationToken cancellationToken)
    {
        var list = scope is null
            ? await client.AppsV1.ListDeploymentForAllNamespacesAsync(cancellationToken: cancellationToken)
            : await client.AppsV1.ListNamespacedDeploymentAsync(scope, cancellationToken: cancellationToken);
        return new ResourceList<V1Deployment>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Deployment Object)> WatchAsync(string resourceVersion,
        TimeSpan timeout, Action<Exception> onError, CancellationToken cancellationToken) => scope is null
        ? client.AppsV1.WatchListDeploymentForAllNamespacesAsync(allowWatchBookmarks: true,
            resourceVersion: resourceVersion, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError,
            cancellationToken: cancellationToken)
        : client.AppsV1.WatchListNamespacedDeploymentAsync(scope, allowWatchBookmarks: true,
            resourceVersion: resourceVersion, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError,
            cancellationToken: cancellationToken);

    public async Task<V1Deployment?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.AppsV1.ReadNamespacedDeploymentAsync(key.Name, key.Namespace,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<V1Deployment> PatchAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            key.Name, key.Namespace, cancellationToken: cancellationToken);

    public Task<V1Deployment> PatchStatusAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            key.Name, key.Namespace, cancellationToken: cancellationToken);
}
