using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace SsoOperator.Crds;

/// <summary>One of our kinds, with its static <see cref="ResourceInfo"/> for generic controller code.</summary>
public interface ICustomResource : IKubernetesObject<V1ObjectMeta>
{
    static abstract ResourceInfo Info { get; }

    /// <summary>The status as the conditions helper sees it, whatever the kind.</summary>
    ResourceStatus CurrentStatus { get; }
}

/// <summary>
/// The shape every kind shares: apiVersion, kind, metadata, spec and status. Each kind also implements
/// <see cref="ICustomResource"/> for its static <see cref="ResourceInfo"/>.
/// </summary>
public abstract class CustomResource<TSpec, TStatus>(ResourceInfo info)
    : IKubernetesObject<V1ObjectMeta>, ISpec<TSpec>, IStatus<TStatus>
    where TSpec : new()
    where TStatus : ResourceStatus, new()
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = info.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = info.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public TSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public TStatus Status { get; set; } = new();

    [JsonIgnore]
    public ResourceStatus CurrentStatus => Status;
}
