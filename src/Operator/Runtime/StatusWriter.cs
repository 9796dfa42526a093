using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Writes status as a merge patch of the status subresource, and only when it differs from the status
/// read at the start of the reconcile: an unchanged resource costs no write and triggers no new event.
/// </summary>
public static class StatusWriter
{
    /// <summary>The serialized form that <see cref="PatchStatusIfChangedAsync"/> compares against.</summary>
    public static string Snapshot(object? status) => status is null ? "null" : KubernetesJson.Serialize(status);

    /// <summary>Returns true when a patch was sent.</summary>
    public static async Task<bool> PatchStatusIfChangedAsync<T>(this IResourceApi<T> api, T resource,
        string snapshot, object status, CancellationToken cancellationToken)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        if (Snapshot(status) == snapshot)
        {
            return false;
        }
        await api.PatchStatusAsync(ObjectKey.Of(resource), new { status }, cancellationToken);
        return true;
    }
}
