using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Adds and removes a finalizer with a merge patch that carries the object's resourceVersion, so a
/// concurrent change makes the patch fail with 409 Conflict instead of dropping someone else's finalizer.
/// </summary>
public static class Finalizers
{
    public static bool HasFinalizer(this V1ObjectMeta metadata, string finalizer) =>
        metadata.Finalizers?.Contains(finalizer) == true;

    public static bool IsBeingDeleted(this V1ObjectMeta metadata) => metadata.DeletionTimestamp is not null;

    public static Task<T> AddFinalizerAsync<T>(this IResourceApi<T> api, T resource, string finalizer,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = resource.Metadata;
        return metadata.HasFinalizer(finalizer)
            ? Task.FromResult(resource)
            : PatchAsync(api, resource, [.. metadata.Finalizers ?? [], finalizer], cancellationToken);
    }

    public static Task<T> RemoveFinalizerAsync<T>(this IResourceApi<T> api, T resource, string finalizer,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var metadata = resource.Metadata;
        return !metadata.HasFinalizer(finalizer)
            ? Task.FromResult(resource)
            : PatchAsync(api, resource, [.. metadata.Finalizers!.Where(f => f != finalizer)], cancellationToken);
    }

    private static Task<T> PatchAsync<T>(IResourceApi<T> api, T resource, List<string> finalizers,
        CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var patch = new
        {
            metadata = new { finalizers, resourceVersion = resource.Metadata.ResourceVersion },
        };
        return api.PatchAsync(ObjectKey.Of(resource), patch, cancellationToken);
    }
}
