using System.Net;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>List, watch, read and patch core/v1 Secrets, in all namespaces or in <paramref name="scope"/>.</summary>
public sealed class SecretApi(IKubernetes client, string? scope = null) : IResourceApi<V1Secret>
{
    public string Kind => V1Secret.KubeKind;

    public async Task<ResourceList<V1Secret>> ListAsync(CancellationToken cancellationToken)
    {
        var list = scope is null
            ? await client.CoreV1.ListSecretForAllNamespacesAsync(cancellationToken: cancellationToken)
            : await client.CoreV1.ListNamespacedSecretAsync(scope, cancellationToken: cancellationToken);
        return new ResourceList<V1Secret>([.. list.Items], list.Metadata.ResourceVersion);
    }

    public IAsyncEnumerable<(WatchEventType Type, V1Secret Object)> WatchAsync(string resourceVersion,
        TimeSpan timeout, Action<Exception> onError, CancellationToken cancellationToken) => scope is null
        ? client.CoreV1.WatchListSecretForAllNamespacesAsync(allowWatchBookmarks: true,
            resourceVersion: resourceVersion, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError,
            cancellationToken: cancellationToken)
        : client.CoreV1.WatchListNamespacedSecretAsync(scope, allowWatchBookmarks: true,
            resourceVersion: resourceVersion, timeoutSeconds: (int)timeout.TotalSeconds, onError: onError,
            cancellationToken: cancellationToken);

    public async Task<V1Secret?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedSecretAsync(key.Name, key.Namespace,
                cancellationToken: cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public Task<V1Secret> PatchAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        client.CoreV1.PatchNamespacedSecretAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
            key.Name, key.Namespace, cancellationToken: cancellationToken);

    public Task<V1Secret> PatchStatusAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Secrets have no status subresource.");
}
