using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using SsoOperator.Crds;
using SsoOperator.Operator.Runtime;
using SsoOperator.Testing;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>A tiny custom resource of the tests' own, so the runtime is tested without our real kinds.</summary>
public sealed class Widget : IKubernetesObject<V1ObjectMeta>
{
    public static readonly CustomResourceType Type = new("test.ssooperator.dev", "v1", "widgets", "Widget");

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = Type.ApiVersion;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = Type.Kind;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public WidgetSpec Spec { get; set; } = new();

    [JsonPropertyName("status")]
    public WidgetStatus Status { get; set; } = new();

    public static Widget Named(string ns, string name, int size = 1) =>
        new() { Metadata = new() { Name = name, NamespaceProperty = ns }, Spec = new() { Size = size } };

    /// <summary>Installs the Widget CRD once per test process and waits until it is served.</summary>
    public static Task InstallAsync() => Installed.Value;

    private static readonly Lazy<Task> Installed = new(async () =>
    {
        var kube = await SharedEnvironment.KubeAsync();
        var file = Path.Combine(Path.GetTempPath(), $"widget-crd-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, Crd);
        await kube.KubectlAsync("apply", "-f", file);
        await kube.KubectlAsync("wait", "--for=condition=Established", "--timeout=60s",
            "crd/widgets.test.ssooperator.dev");
        File.Delete(file);
    });

    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.test.ssooperator.dev
        spec:
          group: test.ssooperator.dev
          scope: Namespaced
          names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status: {type: object, x-kubernetes-preserve-unknown-fields: true}
        """;
}

public sealed class WidgetSpec
{
    [JsonPropertyName("size")]
    public int Size { get; set; }
}

public sealed class WidgetStatus : ResourceStatus
{
    [JsonPropertyName("seenSize")]
    public int? SeenSize { get; set; }
}
