using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Crds.Validation;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// What happens to an Outpost: its applications are resolved to their proxy Providers and client secrets,
/// the config file is written into the Secret {name}-config, and when managed a Deployment and Service run
/// src/Outpost with it. Ready means the pods are available and run the current config. Everything it
/// creates is owner-referenced, so the garbage collector removes it with the Outpost; no finalizer needed.
/// </summary>
public sealed partial class OutpostReconciler(IResourceApi<Outpost> outposts, OutpostSources sources,
    OutpostWorkloads workloads, OutpostOptions options, EventRecorder events, ILogger<OutpostReconciler> logger)
    : IReconciler<Outpost>
{

    // The Deployment's watch brings news of the pods; this only covers a missed event.
    private static readonly TimeSpan ReadinessRecheck = TimeSpan.FromSeconds(30);

    public async Task<ReconcileResult> ReconcileAsync(Outpost outpost, CancellationToken cancellationToken)
    {
        var step = new Step<Outpost>(outposts, outpost, events);
        if (outpost.Metadata.IsBeingDeleted())
        {
            sources.Forget(ObjectKey.Of(outpost));
            return ReconcileResult.Done;
        }

        // Rules the schema cannot express: a spec that breaks them waits for an edit.
        var errors = outpost.Spec.Validate();
        if (errors.Count > 0)
        {
            step.Conditions.MarkStalled(Reasons.InvalidSpec, FieldError.Join(errors));
            return await step.FinishAsync(ReconcileResult.Terminal(Reasons.InvalidSpec), cancellationToken);
        }

        // Every application must resolve: serving a partial list would silently drop an app's gate.
        var resolution = await sources.ResolveAsync(outpost, cancellationToken);
        if (resolution.Problems.Count > 0)
        {
            var first = resolution.Problems[0];
            var message = string.Join("; ", resolution.Problems.Select(p => p.Message));
            var stalled = resolution.Problems.All(p => p.Stalled);
            return await step.FailAsync(first.Reason, message, stalled, cancellationToken);
        }

        // The config Secret, with a session key generated once and kept from then on.
        var (sessionKey, conflict) = await workloads.SessionKeyAsync(outpost, cancellationToken);
        if (conflict is not null)
        {
            return await step.FailAsync(Reasons.ObjectConflict, conflict, stalled: true, cancellationToken,
                retry: true);
        }
        var hash = await WriteConfigAsync(outpost, resolution.Apps, sessionKey!, cancellationToken);

        return outpost.Spec.Deployment.Managed
            ? await RunManagedAsync(step, hash, cancellationToken)
            : await FinishUnmanagedAsync(step, hash, cancellationToken);
    }

    private async Task<string> WriteConfigAsync(Outpost outpost, IReadOnlyList<OutpostApp> apps, string sessionKey,
        CancellationToken token)
    {
        var config = new OutpostConfig($"{outpost.Metadata.NamespaceProperty}/{outpost.Metadata.Name}",
            new OutpostIdp(outpost.Spec.BrowserUrl, outpost.Spec.IdpUrl),
            new OutpostSession(null, null, sessionKey), apps);
        var json = config.ToJson();
        var hash = OutpostConfig.Hash(json);
        var secret = OutpostResources.ConfigSecret(outpost, json, sessionKey);
        if (await workloads.WriteSecretAsync(secret, token))
        {
            LogConfigWritten(logger, outpost.Metadata.NamespaceProperty, outpost.Metadata.Name, Short(hash),
                apps.Count);
            await events.RecordAsync(outpost, EventRecorder.Normal, "ConfigWritten",
                $"wrote config {Short(hash)} with {apps.Count} applications to Secret {secret.Metadata.Name}",
                token);
        }
        outpost.Status.ConfigHash = hash;
        outpost.Status.Applications = [.. outpost.Spec.ApplicationRefs.Select(r => r.Name)];
        return hash;
    }

    private async Task<ReconcileResult> RunManagedAsync(Step<Outpost> step, string hash, CancellationToken token)
    {
        var outpost = step.Resource;
        var (deployment, conflict) = await workloads.ApplyDeploymentAsync(outpost,
            OutpostResources.Deployment(outpost, hash, options), token);
        conflict ??= await workloads.ApplyServiceAsync(outpost, OutpostResources.Service(outpost), token);
        if (conflict is not null)
        {
            return await step.FailAsync(Reasons.ObjectConflict, conflict, stalled: true, token, retry: true);
        }

        var rollout = Rollout.Of(deployment!, outpost.Spec.Deployment.Replicas, hash);
        outpost.Status.ReadyReplicas = rollout.ReadyReplicas;
        if (!rollout.IsComplete)
        {
            step.Conditions.MarkReconciling(Reasons.DeploymentNotReady, rollout.Message);
            return await step.FinishAsync(ReconcileResult.RequeueAfter(ReadinessRecheck), token);
        }
        return await MarkReadyAsync(step, rollout.Message, token);
    }

    private async Task<ReconcileResult> FinishUnmanagedAsync(Step<Outpost> step, string hash, CancellationToken token)
    {
        var outpost = step.Resource;
        if (await workloads.RemoveWorkloadsAsync(outpost, token))
        {
            await events.RecordAsync(outpost, EventRecorder.Normal, "WorkloadsRemoved",
                "deployment.managed is false: removed the operator's Deployment and Service", token);
        }
        outpost.Status.ReadyReplicas = null;
        return await MarkReadyAsync(step, $"config {Short(hash)} is in Secret " +
            $"{OutpostResources.ConfigSecretName(outpost)}; deployment.managed is false, so your manifests run " +
            "the pods", token);
    }

    private async Task<ReconcileResult> MarkReadyAsync(Step<Outpost> step, string message, CancellationToken token)
    {
        var wasReady = step.Conditions.Get(ConditionTypes.Ready) is { Status: ConditionStatus.True } ready
            && ready.Message == message;
        step.Conditions.MarkReady(Reasons.Reconciled, message);
        if (!wasReady)
        {
            var outpost = step.Resource;
            LogReady(logger, outpost.Metadata.NamespaceProperty, outpost.Metadata.Name, message);
        }
        return await step.FinishAsync(ReconcileResult.Done, token);
    }

    /// <summary>The Outposts to reconcile when an Application changes: those that list it.</summary>
    public static IEnumerable<ObjectKey> OutpostsServing(Application application,
        IReadOnlyCollection<Outpost> outposts) =>
        outposts.Where(o => o.Metadata.NamespaceProperty == application.Metadata.NamespaceProperty
                && o.Spec.ApplicationRefs.Any(r => r.Name == application.Metadata.Name))
            .Select(o => ObjectKey.Of(o));

    /// <summary>The Outpost that owns a Deployment or Secret (its controller owner reference).</summary>
    public static IEnumerable<ObjectKey> OwnerOf(V1ObjectMeta metadata) =>
        (metadata.OwnerReferences ?? [])
            .Where(o => o.Kind == Outpost.Info.Kind && o.Controller == true)
            .Select(o => new ObjectKey(metadata.NamespaceProperty, o.Name));

    internal static string Short(string hash) => hash[..12];

    [LoggerMessage(1, LogLevel.Information,
        "Outpost {Namespace}/{Name}: wrote config {ConfigHash} with {AppCount} applications")]
    private static partial void LogConfigWritten(ILogger logger, string @namespace, string name, string configHash,
        int appCount);

    [LoggerMessage(2, LogLevel.Information, "Outpost {Namespace}/{Name} is Ready: {Message}")]
    private static partial void LogReady(ILogger logger, string @namespace, string name, string message);
}
