using System.Net;
using System.Security.Cryptography;
using System.Text;
using k8s;
using k8s.Autorest;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// Writes what an Outpost owns (config Secret, Deployment, Service), each only when it differs from what
/// is there, and refuses to take over an object of the same name that another owner holds.
/// </summary>
public sealed class OutpostWorkloads(IKubernetes client, IResourceApi<V1Secret> secrets,
    IResourceApi<V1Deployment> deployments)
{
    /// <summary>On the Deployment and Service: the hash of the spec the operator last wrote.</summary>
    public const string AppliedAnnotation = "ssooperator.dev/applied-spec";

    /// <summary>The session key kept in the config Secret, or a new one when there is none yet.</summary>
    public async Task<(string? Key, string? Conflict)> SessionKeyAsync(Outpost outpost, CancellationToken token)
    {
        var existing = await secrets.GetAsync(Key(outpost, OutpostResources.ConfigSecretName(outpost)), token);
        if (existing is not null && !IsOwned(existing.Metadata, outpost))
        {
            return (null, Conflict(outpost, "Secret", existing.Metadata.Name));
        }
        return existing?.Data?.TryGetValue(OutpostResources.SessionKeyKey, out var kept) == true && kept.Length > 0
            ? (Encoding.UTF8.GetString(kept), null)
            : (Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), null);
    }

    /// <summary>Creates or updates the config Secret; true when it changed.</summary>
    public async Task<bool> WriteSecretAsync(V1Secret desired, CancellationToken token)
    {
        var key = Key(desired.Metadata);
        var existing = await secrets.GetAsync(key, token);
        if (existing is null)
        {
            await client.CoreV1.CreateNamespacedSecretAsync(desired, key.Namespace, cancellationToken: token);
            return true;
        }
        if (SameData(existing.Data, desired.Data))
        {
            return false;
        }
        await secrets.PatchAsync(key, new { data = desired.Data }, token);
        return true;
    }

    /// <summary>Creates or updates the Deployment; returns it as the API server has it, or a conflict.</summary>
    public async Task<(V1Deployment? Deployment, string? Conflict)> ApplyDeploymentAsync(Outpost outpost,
        V1Deployment desired, CancellationToken token)
    {
        var key = Key(desired.Metadata);
        Stamp(desired.Metadata, desired.Spec);
        var existing = await deployments.GetAsync(key, token);
        if (existing is null)
        {
            return (await client.AppsV1.CreateNamespacedDeploymentAsync(desired, key.Namespace,
                cancellationToken: token), null);
        }
        if (!IsOwned(existing.Metadata, outpost))
        {
            return (null, Conflict(outpost, "Deployment", key.Name));
        }
        return DeploymentMatches(existing, desired)
            ? (existing, null)
            : (await deployments.PatchAsync(key, desired, token), null);
    }

    public async Task<string?> ApplyServiceAsync(Outpost outpost, V1Service desired, CancellationToken token)
    {
        var key = Key(desired.Metadata);
        Stamp(desired.Metadata, desired.Spec);
        var existing = await ReadServiceAsync(key, token);
        if (existing is null)
        {
            await client.CoreV1.CreateNamespacedServiceAsync(desired, key.Namespace, cancellationToken: token);
            return null;
        }
        if (!IsOwned(existing.Metadata, outpost))
        {
            return Conflict(outpost, "Service", key.Name);
        }
        if (Annotation(existing.Metadata) != Annotation(desired.Metadata))
        {
            await client.CoreV1.PatchNamespacedServiceAsync(new V1Patch(desired, V1Patch.PatchType.MergePatch),
                key.Name, key.Namespace, cancellationToken: token);
        }
        return null;
    }

    /// <summary>managed: false: the Deployment and Service this Outpost owned go; anyone else's stay.</summary>
    public async Task<bool> RemoveWorkloadsAsync(Outpost outpost, CancellationToken token)
    {
        var key = Key(outpost, OutpostResources.WorkloadName(outpost));
        var removed = false;
        if (await deployments.GetAsync(key, token) is { } deployment && IsOwned(deployment.Metadata, outpost))
        {
            await client.AppsV1.DeleteNamespacedDeploymentAsync(key.Name, key.Namespace, cancellationToken: token);
            removed = true;
        }
        if (await ReadServiceAsync(key, token) is { } service && IsOwned(service.Metadata, outpost))
        {
            await client.CoreV1.DeleteNamespacedServiceAsync(key.Name, key.Namespace, cancellationToken: token);
            removed = true;
        }
        return removed;
    }

    /// <summary>
    /// The applied-spec hash catches every change the operator makes; replicas, image and config hash are
    /// compared too, so that a hand edit of those is put back at the next reconcile.
    /// </summary>
    private static bool DeploymentMatches(V1Deployment existing, V1Deployment desired) =>
        Annotation(existing.Metadata) == Annotation(desired.Metadata)
        && existing.Spec.Replicas == desired.Spec.Replicas
        && existing.Spec.Template.Spec.Containers.Select(c => c.Image)
            .SequenceEqual(desired.Spec.Template.Spec.Containers.Select(c => c.Image))
        && ConfigHash(existing) == ConfigHash(desired);

    public static string? ConfigHash(V1Deployment deployment) =>
        deployment.Spec.Template.Metadata?.Annotations?.TryGetValue(OutpostResources.ConfigHashAnnotation,
            out var hash) == true ? hash : null;

    private static void Stamp(V1ObjectMeta metadata, object spec)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(KubernetesJson.Serialize(spec))));
        metadata.Annotations = new Dictionary<string, string> { [AppliedAnnotation] = hash[..16] };
    }

    private static string? Annotation(V1ObjectMeta metadata) =>
        metadata.Annotations?.TryGetValue(AppliedAnnotation, out var value) == true ? value : null;

    private async Task<V1Service?> ReadServiceAsync(ObjectKey key, CancellationToken token)
    {
        try
        {
            return await client.CoreV1.ReadNamespacedServiceAsync(key.Name, key.Namespace, cancellationToken: token);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static bool SameData(IDictionary<string, byte[]>? left, IDictionary<string, byte[]>? right) =>
        (left?.Count ?? 0) == (right?.Count ?? 0)
        && (right ?? new Dictionary<string, byte[]>()).All(pair =>
            left!.TryGetValue(pair.Key, out var value) && value.AsSpan().SequenceEqual(pair.Value));

    private static bool IsOwned(V1ObjectMeta metadata, Outpost outpost) =>
        metadata.OwnerReferences?.Any(o => o.Uid == outpost.Metadata.Uid) == true;

    private static string Conflict(Outpost outpost, string kind, string name) =>
        $"{kind} {outpost.Metadata.NamespaceProperty}/{name} exists and is not owned by this Outpost; " +
        "rename the Outpost or delete that object";

    private static ObjectKey Key(V1ObjectMeta metadata) => new(metadata.NamespaceProperty, metadata.Name);

    private static ObjectKey Key(Outpost outpost, string name) => new(outpost.Metadata.NamespaceProperty, name);
}
