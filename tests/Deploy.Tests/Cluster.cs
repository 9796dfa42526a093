using System.Diagnostics;
using SsoOperator.Testing;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// The shared API server prepared for deploy/: our CRDs and the test-only Flux CRDs installed, and the
/// namespaces the manifests name. Server-side dry runs persist nothing, so namespaces and CRDs a
/// manifest relies on must exist for real first.
/// </summary>
internal static class Cluster
{
    public static readonly string[] Namespaces = ["sso", "flux-system", "apps", "other"];

    private static readonly Lazy<Task<KubeApiServer>> Prepared = new(PrepareAsync);

    public static Task<KubeApiServer> ReadyAsync() => Prepared.Value;

    /// <summary>kubectl with its own discovery cache, filled after our kinds exist.</summary>
    public static Task<string> FreshKubectlAsync(this KubeApiServer server, params string[] arguments) =>
        server.KubectlAsync(["--cache-dir", CacheDirectory, .. arguments]);

    /// <summary>
    /// `kubectl auth can-i` as the given ServiceAccount, impersonated. kubectl exits 1 for "no", so
    /// this reads the answer instead of failing on it.
    /// </summary>
    public static async Task<bool> CanAsync(this KubeApiServer server, string serviceAccount,
        params string[] question)
    {
        var info = new ProcessStartInfo(TestAssets.Kubectl())
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in (string[])["--kubeconfig", server.KubeconfigPath, "auth", "can-i",
                     .. question, $"--as=system:serviceaccount:{serviceAccount}"])
        {
            info.ArgumentList.Add(argument);
        }
        using var process = Process.Start(info)!;
        var answer = (await process.StandardOutput.ReadToEndAsync()).Trim();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return answer switch
        {
            "yes" => true,
            "no" => false,
            _ => throw new InvalidOperationException($"kubectl auth can-i {string.Join(' ', question)}: " +
                $"{answer} {error}"),
        };
    }

    private static readonly string CacheDirectory = Directory.CreateTempSubdirectory("kubectl-cache-").FullName;

    private static async Task<KubeApiServer> PrepareAsync()
    {
        var server = await SharedEnvironment.KubeAsync();
        await server.KubectlAsync("apply", "--server-side", "--force-conflicts", "-k",
            Repository.Path("config", "crd"));
        await server.KubectlAsync("apply", "--server-side", "-f", Repository.TestData("flux-crds"));
        await server.KubectlAsync("wait", "--for=condition=Established", "--timeout=60s", "crd", "--all");
        foreach (var name in Namespaces)
        {
            await server.KubectlAsync("apply", "--server-side", "-f",
                await Manifests.WriteTempAsync($"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n"));
        }
        return server;
    }
}

/// <summary>
/// Test classes that write the same objects to the shared API server (the RBAC install and the Flux-style
/// apply) run one after the other, so one never changes field ownership between the other's two applies.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterWrites
{
    public const string Name = "Cluster writes";
}
