namespace SsoOperator.Crds.Tests;

/// <summary>
/// Manifests the API server must refuse: one file per case in testdata/invalid, whose first two lines say
/// why it is invalid (<c># reason</c>) and which field the error must name (<c># expect: path</c>). Rules a
/// Kubernetes 1.20 schema cannot express (regexes that compile, lifetime maxima, PKCE for public clients)
/// are covered by the Validate() tests instead.
/// </summary>
public sealed class InvalidManifestTests
{
    private static string Directory => Path.Combine(Repository.Root, "tests", "Crds.Tests", "testdata", "invalid");

    public static TheoryData<string> Cases() =>
        [.. System.IO.Directory.GetFiles(Directory, "*.yaml").Select(Path.GetFileNameWithoutExtension).OfType<string>()
            .Order(StringComparer.Ordinal)];

    [Fact]
    public void Cases_AreAtLeastTwenty()
    {
        Assert.InRange(Cases().Count, 20, int.MaxValue);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Apply_InvalidManifest_IsRefusedNamingTheField(string name)
    {
        var manifest = await File.ReadAllTextAsync(Path.Combine(Directory, name + ".yaml"));
        var lines = manifest.Split('\n');
        var because = lines[0].TrimStart('#', ' ');
        var field = lines[1].Split("# expect:", 2)[1].Trim();
        var server = await Cluster.WithCrdsAsync();
        var ns = await server.NamespaceAsync("invalid");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => server.ApplyAsync(ns, manifest));

        // Server-side apply refuses duplicates in sets and wrong types before validation, as "Error from server".
        var named = error.Message.Contains(field, StringComparison.Ordinal) &&
            (error.Message.Contains("is invalid", StringComparison.Ordinal) ||
             error.Message.Contains("Error from server", StringComparison.Ordinal));
        Assert.True(named, $"{because}: expected the API server to refuse it naming {field}, got:\n{error.Message}");
    }
}
