using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace SsoOperator.Testing.Tests;

public sealed class KubeApiServerTests
{
    private const string Group = "foundation.ssooperator.dev";

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
        var crd = new V1CustomResourceDefinition
        {
            Metadata = new V1ObjectMeta { Name = $"widgets.{Group}" },
            Spec = new V1CustomResourceDefinitionSpec
            {
                Group = Group,
                Scope = "Namespaced",
                Names = new V1CustomResourceDefinitionNames { Plural = "widgets", Singular = "widget", Kind = "Widget" },
                Versions =
                [
                    new V1CustomResourceDefinitionVersion
                    {
                        Name = "v1", Served = true, Storage = true,
                        Schema = new V1CustomResourceValidation
                        {
                            OpenAPIV3Schema = new V1JSONSchemaProps
                            {
                            Type = "object",
                            Properties = new Dictionary<string, V1JSONSchemaProps>
                            {
                                ["spec"] = new()
                                {
                                    Type = "object",
                                    Properties = new Dictionary<string, V1JSONSchemaProps> { ["color"] = new() { Type = "string" } },
                                },
                            },
                            },
                        },
                    },
                ],
            },
        };
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
