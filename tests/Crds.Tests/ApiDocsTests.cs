using System.Text.Json.Nodes;
using SsoOperator.Crds.Generator;

namespace SsoOperator.Crds.Tests;

public sealed class ApiDocsTests
{
    [Fact]
    public void ApiMd_EveryLeafField_IsDocumented()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md"));
        var missing = new List<string>();

        foreach (var file in CrdGenerator.Generate().Where(file => file.Name != "kustomization.yaml"))
        {
            var schema = JsonNode.Parse(YamlJson.Convert(file.Content))!["spec"]!["versions"]![0]!["schema"]!;
            var root = schema["openAPIV3Schema"]!["properties"]!;
            var leaves = Leaves(root["spec"]!, "spec").Concat(Leaves(root["status"]!, "status"));
            missing.AddRange(leaves.Where(path => !docs.Contains($"`{path}`", StringComparison.Ordinal)));
        }

        Assert.Empty(missing.Distinct());
    }

    [Fact]
    public void ApiMd_EveryReason_IsDocumented()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root, "docs", "api.md"));
        var reasons = typeof(Reasons).GetFields().Select(field => (string)field.GetValue(null)!);

        Assert.All(reasons, reason => Assert.Contains($"| `{reason}` |", docs, StringComparison.Ordinal));
    }

    private static IEnumerable<string> Leaves(JsonNode schema, string path)
    {
        var node = schema["items"] ?? schema;
        var prefix = schema["items"] is null ? path : path + "[]";
        if (node["properties"] is not JsonObject properties)
        {
            return [path];
        }
        return properties.SelectMany(entry => Leaves(entry.Value!, $"{prefix}.{entry.Key}"));
    }
}
