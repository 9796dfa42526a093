using System.Text;
using k8s.Models;
using SsoOperator.Crds;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// The objects an Outpost owns, built from its spec alone: the config Secret, and when managed the
/// Deployment and Service that run src/Outpost with it. Pure functions; the golden-file tests pin them.
/// </summary>
public static class OutpostResources
{
    public const string ConfigKey = "config.json";
    public const string SessionKeyKey = "sessionKey";
    public const string ConfigHashAnnotation = "ssooperator.dev/config-hash";
    public const int Port = 9000;
    private const string ConfigDirectory = "/etc/outpost";
    private const int NonRootId = 65532;

    public static string ConfigSecretName(Outpost outpost) => $"{outpost.Metadata.Name}-config";

    /// <summary>The Deployment and Service name: the Outpost's own.</summary>
    public static string WorkloadName(Outpost outpost) => outpost.Metadata.Name;

    /// <summary>The labels on every object, and (name + instance) the pod selector.</summary>
    public static Dictionary<string, string> Selector(Outpost outpost) => new()
    {
        ["app.kubernetes.io/name"] = "outpost",
        ["app.kubernetes.io/instance"] = outpost.Metadata.Name,
    };

    public static V1Secret ConfigSecret(Outpost outpost, string configJson, string sessionKey) => new()
    {
        ApiVersion = "v1",
        Kind = V1Secret.KubeKind,
        Metadata = Metadata(outpost, ConfigSecretName(outpost)),
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>
        {
            [ConfigKey] = Encoding.UTF8.GetBytes(configJson),
            [SessionKeyKey] = Encoding.UTF8.GetBytes(sessionKey),
        },
    };

    public static V1Deployment Deployment(Outpost outpost, string configHash, OutpostOptions options) => new()
    {
        ApiVersion = "apps/v1",
        Kind = V1Deployment.KubeKind,
        Metadata = Metadata(outpost, WorkloadName(outpost)),
        Spec = new V1DeploymentSpec
        {
            Replicas = outpost.Spec.Deployment.Replicas,
            Selector = new V1LabelSelector { MatchLabels = Selector(outpost) },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta
                {
                    Labels = Labels(outpost),
                    // A new hash changes the template, so the pods roll onto the new config.
                    Annotations = new Dictionary<string, string> { [ConfigHashAnnotation] = configHash },
                },
                Spec = PodSpec(outpost, options),
            },
        },
    };

    public static V1Service Service(Outpost outpost) => new()
    {
        ApiVersion = "v1",
        Kind = V1Service.KubeKind,
        Metadata = Metadata(outpost, WorkloadName(outpost)),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = Selector(outpost),
            Ports = [new V1ServicePort { Name = "http", Port = Port, TargetPort = "http", Protocol = "TCP" }],
        },
    };

    private static V1PodSpec PodSpec(Outpost outpost, OutpostOptions options) => new()
    {
        // The outpost never calls the Kubernetes API.
        AutomountServiceAccountToken = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true, RunAsUser = NonRootId, RunAsGroup = NonRootId,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        Containers = [Container(outpost, options)],
        Volumes =
        [
            new V1Volume
            {
                Name = "config",
                // Only the file: the session key's copy in the Secret is the operator's, kept for reconciles.
                Secret = new V1SecretVolumeSource
                {
                    SecretName = ConfigSecretName(outpost),
                    Items = [new V1KeyToPath { Key = ConfigKey, Path = ConfigKey }],
                },
            },
            // ASP.NET Core writes a few temporary files; the root filesystem is read-only.
            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource() },
        ],
    };

    private static V1Container Container(Outpost outpost, OutpostOptions options) => new()
    {
        Name = "outpost",
        Image = outpost.Spec.Deployment.Image ?? options.Image,
        Env =
        [
            new V1EnvVar { Name = "ASPNETCORE_URLS", Value = $"http://0.0.0.0:{Port}" },
            new V1EnvVar { Name = "Outpost__ConfigPath", Value = $"{ConfigDirectory}/{ConfigKey}" },
        ],
        Ports = [new V1ContainerPort { Name = "http", ContainerPort = Port, Protocol = "TCP" }],
        // /ping answers 503 until a valid config is loaded, then 200 (docs/outpost.md).
        ReadinessProbe = Probe(periodSeconds: 5, failureThreshold: 3),
        LivenessProbe = Probe(periodSeconds: 10, failureThreshold: 6),
        Resources = Resources(outpost.Spec.Deployment.Resources),
        SecurityContext = new V1SecurityContext
        {
            RunAsNonRoot = true,
            ReadOnlyRootFilesystem = true,
            AllowPrivilegeEscalation = false,
            Capabilities = new V1Capabilities { Drop = ["ALL"] },
        },
        VolumeMounts =
        [
            new V1VolumeMount { Name = "config", MountPath = ConfigDirectory, ReadOnlyProperty = true },
            new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
        ],
    };

    private static V1Probe Probe(int periodSeconds, int failureThreshold) => new()
    {
        HttpGet = new V1HTTPGetAction { Path = "/ping", Port = "http" },
        PeriodSeconds = periodSeconds,
        FailureThreshold = failureThreshold,
    };

    /// <summary>spec.deployment.resources, else small requests and a memory limit.</summary>
    private static V1ResourceRequirements Resources(ComputeResources? spec) => spec is null
        ? new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity>
            {
                ["cpu"] = new("50m"), ["memory"] = new("64Mi"),
            },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("256Mi") },
        }
        : new V1ResourceRequirements { Requests = spec.Requests, Limits = spec.Limits };

    private static V1ObjectMeta Metadata(Outpost outpost, string name) => new()
    {
        Name = name,
        NamespaceProperty = outpost.Metadata.NamespaceProperty,
        Labels = Labels(outpost),
        OwnerReferences =
        [
            new V1OwnerReference
            {
                ApiVersion = outpost.ApiVersion, Kind = outpost.Kind, Name = outpost.Metadata.Name,
                Uid = outpost.Metadata.Uid, Controller = true, BlockOwnerDeletion = true,
            },
        ],
    };

    private static Dictionary<string, string> Labels(Outpost outpost) =>
        new(Selector(outpost)) { ["app.kubernetes.io/managed-by"] = "ssooperator" };
}
