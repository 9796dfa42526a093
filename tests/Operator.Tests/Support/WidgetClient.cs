using k8s;
using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>Writes widgets the way a user would, through the API server.</summary>
public sealed class WidgetClient(IKubernetes client, string ns)
{
    public CustomResourceApi<Widget> Api { get; } = new(client, Widget.Type);

    public string Namespace => ns;

    public Task CreateAsync(string name, int size = 1) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync(Widget.Named(ns, name, size),
            Widget.Type.Group, Widget.Type.Version, ns, Widget.Type.Plural);

    public Task ResizeAsync(string name, int size) =>
        Api.PatchAsync(new ObjectKey(ns, name), new { spec = new { size } }, CancellationToken.None);

    public Task DeleteAsync(string name) =>
        client.CustomObjects.DeleteNamespacedCustomObjectAsync(Widget.Type.Group, Widget.Type.Version, ns,
            Widget.Type.Plural, name);

    public Task<Widget?> GetAsync(string name) => Api.GetAsync(new ObjectKey(ns, name), CancellationToken.None);
}
