using System.Text.RegularExpressions;

namespace SsoOperator.Deploy.Tests;

/// <summary>The manifests docs/install.md tells a newcomer to write work as written.</summary>
public sealed partial class InstallDocTests
{
    [Fact]
    public async Task OwnOverlay_AsInTheDoc_SetsIssuerAndImages()
    {
        var overlay = Directory.CreateTempSubdirectory("install-doc-").FullName;
        // The doc's overlay sits next to a checkout named ssooperator; point it at this checkout.
        var text = YamlBlock("kind: Kustomization").Replace("../ssooperator/",
            Path.GetRelativePath(overlay, Repository.Root) + "/", StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), text);

        var objects = await Manifests.RenderObjectsAsync(overlay);

        var config = objects.OfKind("ConfigMap").Single();
        Assert.Equal("sso", config["metadata"]!["namespace"]!.ToString());
        Assert.Equal("https://sso.example.org/", config["data"]!["Idp__Issuer"]!.ToString());
        Assert.Equal("10.42.0.0/16", config["data"]!["Idp__TrustedProxies__0"]!.ToString());
        Assert.Equal("registry.example.com/sso/idp:0.1.0", Image(objects.Single("Deployment", "idp")));
        Assert.Equal("registry.example.com/sso/operator:0.1.0", Image(objects.Single("Deployment", "ssooperator")));
    }

    [Fact]
    public async Task Ingress_AsInTheDoc_AcceptedByTheApiServer()
    {
        var server = await Cluster.ReadyAsync();
        var file = await Manifests.WriteTempAsync(YamlBlock("kind: Ingress"));

        var output = await server.FreshKubectlAsync("apply", "--server-side", "--dry-run=server", "-f", file);

        Assert.Contains("ingress.networking.k8s.io/idp serverside-applied (server dry run)", output,
            StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrade_CrdWaitAsInTheDoc_WaitsForEveryCrdOfTheRelease()
    {
        // Note: not by label: config/crd applied on its own carries none, so new CRDs would go unwaited for.
        var server = await Cluster.ReadyAsync();
        var doc = await File.ReadAllTextAsync(Repository.Path("docs", "install.md"));
        var crds = await Manifests.RenderAsync(Repository.Path("config", "crd"));

        var output = await server.FreshKubectlAsync("wait", "--for=condition=Established", "--timeout=60s",
            "-f", await Manifests.WriteTempAsync(crds));

        Assert.Contains("kubectl kustomize ssooperator/config/crd | kubectl wait --for=condition=Established -f -",
            doc, StringComparison.Ordinal);
        Assert.Equal(
            ["applications", "groups", "outposts", "providers", "sources"],
            output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
                .Select(line => Regex.Match(line, @"^customresourcedefinition\.apiextensions\.k8s\.io/(\w+)" +
                    @"\.ssooperator\.dev condition met$").Groups[1].Value)
                .Order(StringComparer.Ordinal));
    }

    private static string Image(System.Text.Json.Nodes.JsonObject deployment) =>
        deployment["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.ToString();

    // The doc's ```yaml block containing the marker, without the list indentation it has in the doc.
    private static string YamlBlock(string marker)
    {
        var doc = File.ReadAllText(Repository.Path("docs", "install.md"));
        var block = YamlBlocks().Matches(doc).Select(m => m.Groups[2].Value).Single(b => b.Contains(marker,
            StringComparison.Ordinal));
        var indent = block.TakeWhile(c => c == ' ').Count();
        return string.Join('\n', block.Split('\n').Select(line => line.Length >= indent ? line[indent..] : line));
    }

    [GeneratedRegex(@"^( *)```yaml\n(.*?)^\1```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex YamlBlocks();
}
