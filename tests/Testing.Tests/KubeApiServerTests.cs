using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Testing.Tests;

public sealed class KubeApiServerTests
{
    private const string Group = "foundation.ssooperator.dev";

    private const string WidgetCrd = $$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.{{Group}}
        spec:
          group: {{Group}}
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    properties:
                      color: {type: string}
        """;

    [Fact]
    public async Task CustomResource_CreatedAndPatched_WatchSeesBothEvents()
    {
        var server = await SharedEnvironment.KubeAsync();
        using var client = server.CreateClient();
        await InstallWidgetCrdAsync(client);

        var widget = new Dictionary<string, object>
        {
            ["apiVersion"] = $"{Group}/v1",
            ["kind"] = "Widget",
            ["metadata"] = new Dictionary<string, object> { ["name"] = "first" },
            ["spec"] = new Dictionary<string, object> { ["color"] = "blue" },
        };
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, "v1", "default", "widgets");

        var seen = new List<(WatchEventType Type, string? Color)>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var watch = client.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, "v1", "default", "widgets", cancellationToken: cts.Token);
        var watching = Task.Run(async () =>
        {
            await foreach (var (type, item) in watch)
            {
                var json = (JsonElement)item;
                seen.Add((type, json.GetProperty("spec").GetProperty("color").GetString()));
                if (seen.Count == 2)
                {
                    return;
                }
            }
        }, cts.Token);

        await Task.Delay(500, cts.Token);
        var patch = new V1Patch("""{"spec":{"color":"green"}}""", V1Patch.PatchType.MergePatch);
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(patch, Group, "v1", "default", "widgets", "first");
        await watching;

        Assert.Equal([(WatchEventType.Added, "blue"), (WatchEventType.Modified, "green")], seen);
    }

    private static async Task InstallWidgetCrdAsync(Kubernetes client)
    {
        var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(WidgetCrd);
        try
        {
            await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.Conflict)
        {
            // Installed by an earlier run against the same server.
        }
        await WaitEstablishedAsync(client, crd.Metadata.Name);
    }

    private static async Task WaitEstablishedAsync(Kubernetes client, string name)
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var current = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name);
            if (current.Status?.Conditions?.Any(c => c.Type == "Established" && c.Status == "True") == true)
            {
                return;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"CRD {name} never became Established");
    }
}
