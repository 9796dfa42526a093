namespace SsoOperator.Deploy.Tests;

/// <summary>
/// The real API server accepts every object we ship: each kustomize tree and every example, applied
/// server-side with --dry-run=server (admission and schema validation run; nothing is stored).
/// </summary>
public sealed class DryRunTests
{
    public static TheoryData<string> Kustomizations() =>
    [
        "deploy/kustomize/base", "deploy/kustomize/overlays/homelab", "deploy/kustomize/overlays/ha",
        "deploy/kustomize/overlays/namespaced", "deploy/examples/quickstart",
        "deploy/examples/homelab/apps", "deploy/examples/homelab/infrastructure/sso-database",
    ];

    public static TheoryData<string> PlainFiles() =>
    [
        .. Directory.GetFiles(Repository.Path("deploy", "examples"), "*.yaml")
            .Concat(Directory.GetFiles(Repository.Homelab("clusters/homelab"), "*.yaml"))
            .Select(path => Path.GetRelativePath(Repository.Root, path))
            .Order(StringComparer.Ordinal),
    ];

    [Theory]
    [MemberData(nameof(Kustomizations))]
    public async Task DryRun_RenderedKustomization_EveryObjectAccepted(string directory)
    {
        var server = await Cluster.ReadyAsync();
        var rendered = await Manifests.RenderAsync(Repository.Path(directory));

        var output = await server.FreshKubectlAsync("apply", "--server-side", "--force-conflicts",
            "--dry-run=server", "-f", await Manifests.WriteTempAsync(rendered));

        AssertEveryObjectApplied(Manifests.Parse(rendered).Count, output);
    }

    [Theory]
    [MemberData(nameof(PlainFiles))]
    public async Task DryRun_ExampleFile_EveryObjectAccepted(string file)
    {
        var server = await Cluster.ReadyAsync();
        var path = Repository.Path(file);

        var output = await server.FreshKubectlAsync("apply", "--server-side", "--force-conflicts",
            "--dry-run=server", "-f", path);

        AssertEveryObjectApplied(Manifests.Parse(await File.ReadAllTextAsync(path)).Count, output);
    }

    private static void AssertEveryObjectApplied(int objects, string output)
    {
        Assert.True(objects > 0, "nothing rendered");
        var applied = output.Split('\n').Count(line => line.EndsWith("serverside-applied (server dry run)",
            StringComparison.Ordinal));
        Assert.True(objects == applied, $"{objects} objects, {applied} applied:\n{output}");
    }
}
