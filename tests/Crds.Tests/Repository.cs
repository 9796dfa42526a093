namespace SsoOperator.Crds.Tests;

/// <summary>Paths in the checkout the tests run from.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string CrdDirectory => Path.Combine(Root, "config", "crd");

    public static string ExamplesDirectory => Path.Combine(Root, "deploy", "examples");

    public static IEnumerable<string> Examples(string? subdirectory = null) =>
        Directory.GetFiles(Path.Combine(ExamplesDirectory, subdirectory ?? ""), "*.yaml")
            .Where(path => Path.GetFileName(path) != "kustomization.yaml")
            .Order(StringComparer.Ordinal);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null;
             directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "SsoOperator.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no SsoOperator.sln above {AppContext.BaseDirectory}");
    }
}
