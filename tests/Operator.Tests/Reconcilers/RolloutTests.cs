using k8s.Models;
using SsoOperator.Operator.Reconcilers;

namespace SsoOperator.Operator.Tests.Reconcilers;

public sealed class RolloutTests
{
    private const string Hash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    [Fact]
    public void Of_AllUpdatedAndAvailable_CompleteWithReadyReplicas()
    {
        var rollout = Rollout.Of(Deployment(Hash, generation: 2, observed: 2, replicas: 2, updated: 2, available: 2),
            desired: 2, Hash);

        Assert.Equal(new Rollout(true, 2, "2 of 2 replicas available with config 0123456789ab"), rollout);
    }

    [Fact]
    public void Of_NoKubelet_NotCompleteZeroReady()
    {
        var rollout = Rollout.Of(Deployment(Hash, 1, 1, replicas: 1, updated: 1, available: null), 1, Hash);

        Assert.Equal(new Rollout(false, 0, "0 of 1 replicas available with config 0123456789ab"), rollout);
    }

    [Fact]
    public void Of_OldPodsStillRunning_NotCompleteAndCounted()
    {
        var rollout = Rollout.Of(Deployment(Hash, 3, 3, replicas: 3, updated: 2, available: 3), 2, Hash);

        Assert.False(rollout.IsComplete);
        Assert.Equal(2, rollout.ReadyReplicas);
        Assert.Equal("2 of 2 replicas available with config 0123456789ab, 1 old", rollout.Message);
    }

    [Fact]
    public void Of_ControllerBehindTheTemplate_RollingOut()
    {
        var rollout = Rollout.Of(Deployment(Hash, 4, 3, replicas: 1, updated: 1, available: 1), 1, Hash);

        Assert.Equal(new Rollout(false, 0, "the Deployment is rolling out config 0123456789ab"), rollout);
    }

    [Fact]
    public void Of_TemplateCarriesAnotherHash_NotComplete()
    {
        var rollout = Rollout.Of(Deployment("f" + Hash[1..], 1, 1, 1, 1, 1), 1, Hash);

        Assert.False(rollout.IsComplete);
    }

    [Fact]
    public void Of_ZeroReplicasWanted_Complete()
    {
        var rollout = Rollout.Of(Deployment(Hash, 1, 1, replicas: null, updated: null, available: null), 0, Hash);

        Assert.True(rollout.IsComplete);
        Assert.Equal(0, rollout.ReadyReplicas);
    }

    private static V1Deployment Deployment(string hash, long generation, long observed, int? replicas, int? updated,
        int? available) => new()
    {
        Metadata = new V1ObjectMeta { Name = "edge", Generation = generation },
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Annotations = new Dictionary<string, string> { [OutpostResources.ConfigHashAnnotation] = hash },
                },
            },
        },
        Status = new V1DeploymentStatus
        {
            ObservedGeneration = observed, Replicas = replicas, UpdatedReplicas = updated,
            AvailableReplicas = available,
        },
    };
}
