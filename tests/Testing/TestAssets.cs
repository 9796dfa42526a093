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

    /// <summary>kubectl: from the assets directory if present, else Debian's kubernetes-client package.</summary>
    public static string Kubectl()
    {
        var inAssets = Path.Combine(Directory, "kubectl");
        return File.Exists(inAssets) ? inAssets : Command.Which("kubectl") ?? throw new InvalidOperationException(
            "kubectl was not found. Install it with `apt-get install kubernetes-client` (or run `make setup`).");
    }
}
