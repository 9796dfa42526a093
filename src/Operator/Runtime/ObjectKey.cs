using k8s;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>What the work queue holds: a namespaced object's identity, never the object itself.</summary>
public readonly record struct ObjectKey(string Namespace, string Name)
{
    public static ObjectKey Of(IKubernetesObject<V1ObjectMeta> resource) =>
        new(resource.Metadata.NamespaceProperty ?? "", resource.Metadata.Name);

    public override string ToString() => $"{Namespace}/{Name}";
}
