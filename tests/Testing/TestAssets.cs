namespace SsoOperator.Testing;

/// <summary>Finds the envtest-style binaries (kube-apiserver, etcd, ...) named by KUBEBUILDER_ASSETS.</summary>
public static class TestAssets
{
    private const string HowToGet =
        "Run `make test-assets` (or `hack/test-assets.sh`), which builds kube-apiserver from Debian's " +
        "kubernetes source package and installs etcd-server, then export KUBEBUILDER_ASSETS=$(hack/test-assets.sh).";

    /// <summary>The assets directory; the project's default cache when the variable is unset.</summary>
    public static string Directory
    {
        get
        {
            var named = Environment.GetEnvironmentVariable("KUBEBUILDER_ASSETS");
            if (!string.IsNullOrEmpty(named))
            {
                return named;
            }
            var cacheRoot = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
                ? xdg
                : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
            return Path.Combine(cacheRoot, "ssooperator", "k8s-assets");
        }
    }

    /// <summary>The path of one binary, or an exception that says exactly how to get it.</summary>
    public static string Require(string binary)
    {
        var path = Path.Combine(Directory, binary);
        if (!File.Exists(path))
        {
            throw new InvalidOperationException($"{binary} was not found in {Directory}. {HowToGet}");
        }
        return path;
    }

    /// <summary>
    /// kubectl built from the same Debian source as the API server, so client and server versions match.
    /// </summary>
    public static string Kubectl() => Require("kubectl");
}
