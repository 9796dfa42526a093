namespace SsoOperator.Deploy.Tests;

/// <summary>Paths in the checkout the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Kustomize(string tree) => Path("deploy", "kustomize", tree);

    public static string Homelab(string part = "") => Path("deploy", "examples", "homelab", part);

    /// <summary>Test-only data next to the test binaries (copied from testdata/).</summary>
    public static string TestData(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "testdata", name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null;
             directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "SsoOperator.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no SsoOperator.sln above {AppContext.BaseDirectory}");
    }
}
