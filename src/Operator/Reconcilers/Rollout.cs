using k8s.Models;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// How far an outpost Deployment has rolled out the current config: complete when the controller has seen
/// the latest template, which carries the current config hash, and every desired replica is updated and
/// available. A kubelet reports availability; without one (as in the tests) a rollout never completes.
/// </summary>
public sealed record Rollout(bool IsComplete, int ReadyReplicas, string Message)
{
    public static Rollout Of(V1Deployment deployment, int desired, string configHash)
    {
        var status = deployment.Status;
        var hash = OutpostReconciler.Short(configHash);
        if (OutpostWorkloads.ConfigHash(deployment) != configHash
            || (status?.ObservedGeneration ?? 0) < (deployment.Metadata.Generation ?? 0))
        {
            return new Rollout(false, 0, $"the Deployment is rolling out config {hash}");
        }
        // Replicas that are both updated (current template) and available serve the current config.
        var ready = Math.Min(status?.UpdatedReplicas ?? 0, status?.AvailableReplicas ?? 0);
        var old = (status?.Replicas ?? 0) - (status?.UpdatedReplicas ?? 0);
        if (ready < desired || old > 0)
        {
            return new Rollout(false, ready,
                $"{ready} of {desired} replicas available with config {hash}" + (old > 0 ? $", {old} old" : ""));
        }
        return new Rollout(true, ready, $"{ready} of {desired} replicas available with config {hash}");
    }
}
