using System.Text.Json.Nodes;
using SsoOperator.Testing;
using YamlDotNet.RepresentationModel;

namespace SsoOperator.Deploy.Tests;

/// <summary>Renders kustomizations with kubectl's built-in kustomize and reads the objects.</summary>
internal static class Manifests
{
    /// <summary>The rendered YAML of a kustomization directory.</summary>
    public static Task<string> RenderAsync(string directory) =>
        Command.RunAsync(TestAssets.Kubectl(), ["kustomize", directory]);

    public static async Task<IReadOnlyList<JsonObject>> RenderObjectsAsync(string directory) =>
        Parse(await RenderAsync(directory));

    /// <summary>Every document of a YAML stream as JSON; scalars stay strings (enough for comparing).</summary>
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => ToJson(d.RootNode)).OfType<JsonObject>()];
    }

    public static string Id(this JsonObject item) =>
        $"{item["kind"]}/{item["metadata"]?["namespace"]?.ToString() ?? "-"}/{item["metadata"]?["name"]}";

    public static JsonObject Single(this IEnumerable<JsonObject> items, string kind, string name) =>
        items.Single(item => item["kind"]?.ToString() == kind && item["metadata"]?["name"]?.ToString() == name);

    public static IEnumerable<JsonObject> OfKind(this IEnumerable<JsonObject> items, string kind) =>
        items.Where(item => item["kind"]?.ToString() == kind);

    /// <summary>Writes text to a fresh temporary file, for kubectl -f.</summary>
    public static async Task<string> WriteTempAsync(string text)
    {
        var file = System.IO.Path.Combine(Directory.CreateTempSubdirectory("deploy-").FullName, "objects.yaml");
        await File.WriteAllTextAsync(file, text);
        return file;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(entry =>
            KeyValuePair.Create(((YamlScalarNode)entry.Key).Value!, ToJson(entry.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        YamlScalarNode scalar => scalar.Value is null ? null : JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
