using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Reconcilers;

using Outpost = SsoOperator.Crds.Outpost;

/// <summary>Which Outposts a change to another object re-reconciles.</summary>
public sealed class OutpostMappingTests
{
    [Fact]
    public void OutpostsServing_Application_OnlyOutpostsListingItInItsNamespace()
    {
        var application = new Application { Metadata = new V1ObjectMeta { Name = "web", NamespaceProperty = "a" } };
        Outpost[] outposts = [Outpost("a", "edge", "web"), Outpost("a", "other", "db"), Outpost("b", "far", "web")];

        var keys = OutpostReconciler.OutpostsServing(application, outposts);

        Assert.Equal([new ObjectKey("a", "edge")], keys);
    }

    [Fact]
    public void OwnerOf_DeploymentOwnedByOutpost_ThatOutpost()
    {
        var metadata = new V1ObjectMeta
        {
            Name = "edge", NamespaceProperty = "a",
            OwnerReferences =
            [
                new V1OwnerReference { Kind = "Outpost", Name = "edge", Controller = true, Uid = "1" },
                new V1OwnerReference { Kind = "Provider", Name = "web", Controller = false, Uid = "2" },
            ],
        };

        Assert.Equal([new ObjectKey("a", "edge")], OutpostReconciler.OwnerOf(metadata));
        Assert.Empty(OutpostReconciler.OwnerOf(new V1ObjectMeta { Name = "x", NamespaceProperty = "a" }));
    }

    private static Outpost Outpost(string ns, string name, string application) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns },
        Spec = new OutpostSpec { ApplicationRefs = [new LocalObjectReference { Name = application }] },
    };
}
