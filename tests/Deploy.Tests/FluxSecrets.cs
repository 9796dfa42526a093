using System.Text;
using YamlDotNet.RepresentationModel;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// What Flux's kustomize-controller does to a Secret before it applies it: `stringData` moves into
/// `data`, base64-encoded. Note: server-side apply of `stringData` never converges (the API server
/// stores only `data`, so every apply is a change); Flux normalises Secrets for that reason, and a
/// Flux-style apply in a test must do the same.
/// </summary>
internal static class FluxSecrets
{
    public static string Normalize(string rendered)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(rendered));
        foreach (var root in stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>())
        {
            if (Scalar(root, "kind") == "Secret" && Take(root, "stringData") is { } plain)
            {
                var data = root.Children.TryGetValue(new YamlScalarNode("data"), out var existing)
                    ? (YamlMappingNode)existing
                    : Add(root, "data");
                foreach (var (key, value) in plain.Children)
                {
                    data.Children[key] = new YamlScalarNode(
                        Convert.ToBase64String(Encoding.UTF8.GetBytes(((YamlScalarNode)value).Value ?? "")));
                }
            }
        }
        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return text.ToString();
    }

    private static string? Scalar(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? (node as YamlScalarNode)?.Value : null;

    private static YamlMappingNode? Take(YamlMappingNode map, string key)
    {
        var name = new YamlScalarNode(key);
        if (!map.Children.TryGetValue(name, out var node))
        {
            return null;
        }
        map.Children.Remove(name);
        return (YamlMappingNode)node;
    }

    private static YamlMappingNode Add(YamlMappingNode map, string key)
    {
        var added = new YamlMappingNode();
        map.Children[new YamlScalarNode(key)] = added;
        return added;
    }
}
