using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>The calls the runtime makes for one kind: list, watch, read, and merge patches.</summary>
public interface IResourceApi<T>
    where T : IKubernetesObject<V1ObjectMeta>
{
    string Kind { get; }

    Task<ResourceList<T>> ListAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> until the server ends the stream after
    /// <paramref name="timeout"/>. Error events (such as 410 Gone) go to <paramref name="onError"/>.
    /// </summary>
    IAsyncEnumerable<(WatchEventType Type, T Object)> WatchAsync(string resourceVersion, TimeSpan timeout,
        Action<Exception> onError, CancellationToken cancellationToken);

    /// <summary>The object as the API server has it now, or null when it does not exist.</summary>
    Task<T?> GetAsync(ObjectKey key, CancellationToken cancellationToken);

    /// <summary>A JSON merge patch (RFC 7386) of the object.</summary>
    Task<T> PatchAsync(ObjectKey key, object patch, CancellationToken cancellationToken);

    /// <summary>A JSON merge patch of the status subresource.</summary>
    Task<T> PatchStatusAsync(ObjectKey key, object patch, CancellationToken cancellationToken);
}

/// <summary>One consistent list: the items and the resourceVersion to watch from.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion);
