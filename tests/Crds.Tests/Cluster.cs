using SsoOperator.Testing;

namespace SsoOperator.Crds.Tests;

/// <summary>The shared API server with our CRDs installed (idempotently), and a namespace per test.</summary>
internal static class Cluster
{
    private static readonly Lazy<Task<KubeApiServer>> Installed = new(InstallAsync);

    public static Task<KubeApiServer> WithCrdsAsync() => Installed.Value;

    /// <summary>A fresh namespace, so tests never see each other's objects.</summary>
    public static async Task<string> NamespaceAsync(this KubeApiServer server, string prefix)
    {
        var name = $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";
        await server.KubectlAsync("create", "namespace", name);
        return name;
    }

    /// <summary>
    /// kubectl with a discovery cache that knows our kinds (another kubectl may have cached the list before
    /// the CRDs were installed).
    /// </summary>
    public static Task<string> FreshKubectlAsync(this KubeApiServer server, params string[] arguments) =>
        server.KubectlAsync(["--cache-dir", cacheDirectory ?? NewCacheDirectory(), .. arguments]);

    private static string? cacheDirectory;

    private static string NewCacheDirectory() => Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    /// <summary>Applies a manifest with server-side apply, skipping kubectl's own schema check.</summary>
    public static async Task<string> ApplyAsync(this KubeApiServer server, string ns, string manifest)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("manifest-").FullName, "manifest.yaml");
        await File.WriteAllTextAsync(file, manifest);
        return await server.FreshKubectlAsync("apply", "--server-side", "--validate=false", "-n", ns, "-f", file);
    }

    private static async Task<KubeApiServer> InstallAsync()
    {
        var server = await SharedEnvironment.KubeAsync();
        await server.KubectlAsync("apply", "--server-side", "--force-conflicts", "-k", Repository.CrdDirectory);
        await server.KubectlAsync(["wait", "--for=condition=Established", "--timeout=60s",
            .. SsoApi.Kinds.Select(info => $"crd/{info.CrdName}")]);
        await WaitPublishedAsync(server);

        // From here on every kubectl shares one discovery cache, filled after our kinds exist.
        cacheDirectory = NewCacheDirectory();
        return server;
    }

    // The API server publishes a new CRD's schema to /openapi/v2 (what kubectl explain reads) a few
    // seconds after it is Established.
    private static async Task WaitPublishedAsync(KubeApiServer server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var info in SsoApi.Kinds)
        {
            while (true)
            {
                try
                {
                    await server.FreshKubectlAsync("explain", info.Plural);
                    break;
                }
                catch (InvalidOperationException) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(500);
                }
            }
        }
    }
}
