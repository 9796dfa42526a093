using System.Text.Json.Serialization;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// A gate in front of applications without OIDC: a config Secret listing the proxy applications it serves
/// and, when managed, a Deployment and Service that run it.
/// </summary>
[KubernetesEntity(Group = SsoApi.Group, ApiVersion = SsoApi.Version, Kind = "Outpost", PluralName = "outposts")]
[PrinterColumn("Replicas", ".status.readyReplicas", Type = "integer")]
public sealed class Outpost() : CustomResource<OutpostSpec, OutpostStatus>(Info), ICustomResource
{
    public static ResourceInfo Info { get; } = new("Outpost", "outposts", "outpost", ["ssoout"]);

    /// <summary>The URL pods reach the IdP at: spec.idpUrl, else spec.browserUrl.</summary>
    [JsonIgnore]
    public string EffectiveIdpUrl => Spec.IdpUrl ?? Spec.BrowserUrl;
}

/// <summary>The desired outpost.</summary>
public sealed partial class OutpostSpec
{
    /// <summary>The kind of outpost; proxy is the only one so far.</summary>
    [JsonPropertyName("type")]
    [Default]
    public OutpostType Type { get; set; } = OutpostType.Proxy;

    /// <summary>
    /// The Applications (in the same namespace) this outpost serves; each must use a proxy Provider
    /// (checked by the operator).
    /// </summary>
    [JsonPropertyName("applicationRefs")]
    [MapKeys("name")]
    [MaxItems(256)]
    public IList<LocalObjectReference> ApplicationRefs { get; set; } = [];

    /// <summary>The IdP URL users' browsers are sent to for sign-in, for example https://sso.example.com.</summary>
    [JsonPropertyName("browserUrl")]
    [Required]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string BrowserUrl { get; set; } = "";

    /// <summary>The IdP URL the outpost pods use for back-channel calls. Defaults to browserUrl.</summary>
    [JsonPropertyName("idpUrl")]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string? IdpUrl { get; set; }

    /// <summary>How the outpost runs.</summary>
    [JsonPropertyName("deployment")]
    public OutpostDeployment Deployment { get; set; } = new();
}

/// <summary>How the outpost's pods run.</summary>
public sealed class OutpostDeployment
{
    /// <summary>
    /// true: the operator runs a Deployment and Service. false: it writes only the config Secret and your own
    /// manifests run the pods.
    /// </summary>
    [JsonPropertyName("managed")]
    [Default]
    public bool Managed { get; set; } = true;

    /// <summary>How many pods run when managed.</summary>
    [JsonPropertyName("replicas")]
    [Default]
    [Minimum(0)]
    [Maximum(100)]
    public int Replicas { get; set; } = 1;

    /// <summary>The container image to run; defaults to the operator's own outpost image.</summary>
    [JsonPropertyName("image")]
    [MinLength(1)]
    [MaxLength(512)]
    public string? Image { get; set; }

    /// <summary>The compute resources of the outpost container.</summary>
    [JsonPropertyName("resources")]
    public ComputeResources? Resources { get; set; }
}

/// <summary>Compute resources of a container, as in a Pod's resources field.</summary>
public sealed class ComputeResources
{
    /// <summary>The most the container may use, for example cpu: 500m and memory: 256Mi.</summary>
    [JsonPropertyName("limits")]
    public IDictionary<string, ResourceQuantity>? Limits { get; set; }

    /// <summary>What the container is guaranteed, for example cpu: 50m and memory: 64Mi.</summary>
    [JsonPropertyName("requests")]
    public IDictionary<string, ResourceQuantity>? Requests { get; set; }
}

/// <summary>The kind of outpost.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutpostType>))]
public enum OutpostType
{
    [JsonStringEnumMemberName("proxy")]
    Proxy,
}

/// <summary>The observed state of an Outpost.</summary>
public sealed class OutpostStatus : ResourceStatus
{
    /// <summary>How many outpost pods are available and serving the current config.</summary>
    [JsonPropertyName("readyReplicas")]
    [Minimum(0)]
    public int? ReadyReplicas { get; set; }

    /// <summary>The hash of the config the outpost was last given; pods roll when it changes.</summary>
    [JsonPropertyName("configHash")]
    public string? ConfigHash { get; set; }

    /// <summary>The names of the Applications in the current config.</summary>
    [JsonPropertyName("applications")]
    public IList<string> Applications { get; set; } = [];
}
