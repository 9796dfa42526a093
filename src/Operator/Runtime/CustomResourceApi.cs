using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// List, watch, read and patch a custom resource kind, in all namespaces or only in <paramref name="scope"/>.
/// </summary>
public sealed class CustomResourceApi<T>(IKubernetes client, CustomResourceType type, string? scope = null)
    : IResourceApi<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    public string Kind => type.Kind;

    public async Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken)
    {
        var list = scope is null
            ? await client.CustomObjects.ListClusterCustomObjectAsync<Items>(
                type.Group, type.Version, type.Plural, cancellationToken: cancellationToken)
            : await client.CustomObjects.ListNamespacedCustomObjectAsync<Items>(
                type.Group, type.Version, scope, type.Plural, cancellationToken: cancellationToken);
        return new ResourceList<T>(list.Entries ?? [], list.Metadata?.ResourceVersion ?? "");
    }

    public async IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion,
        TimeSpan timeout, Action<Exception> onError, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seconds = (int)timeout.TotalSeconds;
        var events = scope is null
            ? client.CustomObjects.WatchListClusterCustomObjectAsync(type.Group, type.Version, type.Plural,
                allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: seconds,
                onError: onError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListNamespacedCustomObjectAsync(type.Group, type.Version, scope,
                type.Plural, allowWatchBookmarks: true, resourceVersion: resourceVersion, timeoutSeconds: seconds,
                onError: onError, cancellationToken: cancellationToken);
        await foreach (var (kind, item) in events)
        {
            // The untyped watch yields JSON elements; the typed one is marked obsolete in this client.
            yield return (kind, KubernetesJson.Deserialize<T>(((JsonElement)item).GetRawText()));
        }
    }

    public async Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await client.CustomObjects.GetNamespacedCustomObjectAsync<T>(
                type.Group, type.Version, key.Namespace, type.Plural, key.Name, cancellationToken);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return default;
        }
    }

    public Task<T> PatchAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<T>(MergePatch(patch),
            type.Group, type.Version, key.Namespace, type.Plural, key.Name, cancellationToken: cancellationToken);

    public Task<T> PatchStatusAsync(ObjectKey key, object patch, CancellationToken cancellationToken) =>
        client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<T>(MergePatch(patch),
            type.Group, type.Version, key.Namespace, type.Plural, key.Name, cancellationToken: cancellationToken);

    private static V1Patch MergePatch(object patch) => new(patch, V1Patch.PatchType.MergePatch);

    private sealed class Items
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<T>? Entries { get; set; }
    }
}

/// <summary>Where a custom resource kind lives in the API: group, version, plural and kind.</summary>
public sealed record CustomResourceType(string Group, string Version, string Plural, string Kind)
{
    public string ApiVersion => $"{Group}/{Version}";
}
