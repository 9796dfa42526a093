using SsoOperator.Crds.Generator;

namespace SsoOperator.Crds.Tests;

public sealed class CrdGeneratorTests
{
    [Fact]
    public void Generate_ComparedWithConfigCrd_IsIdentical()
    {
        // Run `make manifests` and commit config/crd when this fails.
        var generated = CrdGenerator.Generate();

        var committed = Directory.GetFiles(Repository.CrdDirectory, "*.yaml")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(generated.Select(file => file.Name).Order(StringComparer.Ordinal), committed);
        foreach (var file in generated)
        {
            var onDisk = File.ReadAllText(Path.Combine(Repository.CrdDirectory, file.Name));
            Assert.True(onDisk == file.Content, $"config/crd/{file.Name} is stale: run `make manifests`");
        }
    }

    [Fact]
    public void Generate_Twice_IsIdentical()
    {
        var first = CrdGenerator.Generate();
        var second = CrdGenerator.Generate();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Kinds_MatchTheApiList()
    {
        var kinds = CrdGenerator.Kinds.Select(kind => kind.Name);

        Assert.Equal(SsoApi.Kinds.Select(info => info.Kind), kinds);
    }

    [Fact]
    public void Generate_EveryField_HasADescription()
    {
        var undescribed = new List<string>();
        foreach (var file in CrdGenerator.Generate().Where(file => file.Name != "kustomization.yaml"))
        {
            var crd = YamlJson.Convert(file.Content);
            var root = System.Text.Json.Nodes.JsonNode.Parse(crd)!["spec"]!["versions"]![0]!["schema"]!;
            CollectUndescribed(root["openAPIV3Schema"]!, file.Name, undescribed);
        }

        Assert.Empty(undescribed);
    }

    private static void CollectUndescribed(System.Text.Json.Nodes.JsonNode schema, string path, List<string> found)
    {
        if (schema["properties"] is not System.Text.Json.Nodes.JsonObject properties || schema["type"] is null)
        {
            return;
        }
        foreach (var (name, property) in properties)
        {
            // metadata is Kubernetes' own ObjectMeta; kubectl explains it from the built-in schema.
            if (name == "metadata")
            {
                continue;
            }
            if (property!["description"] is null)
            {
                found.Add($"{path}:{name}");
            }
            CollectUndescribed(property["items"] ?? property, $"{path}.{name}", found);
        }
    }
}
