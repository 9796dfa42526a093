using System.Text.RegularExpressions;
using SsoOperator.Testing;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// The container build files cannot be built here (no Docker, no image pulls), so this runs the one
/// step of each that can go wrong in our code: the `dotnet publish` it names, to a temporary folder,
/// and checks that the assembly its ENTRYPOINT starts is what that publish produced.
/// </summary>
public sealed partial class PublishTests
{
    [Theory]
    [InlineData("idp", "src/IdP/SsoOperator.IdP.csproj", "SsoOperator.IdP.dll")]
    [InlineData("operator", "src/Operator/SsoOperator.Operator.csproj", "SsoOperator.Operator.dll")]
    [InlineData("outpost", "src/Outpost/SsoOperator.Outpost.csproj", "SsoOperator.Outpost.dll")]
    public async Task Publish_Dockerfile_ProducesItsEntryAssembly(string image, string project, string entry)
    {
        var dockerfile = await File.ReadAllTextAsync(Repository.Path("deploy", "docker", $"{image}.Dockerfile"));
        Assert.Equal(project, PublishedProject().Match(dockerfile).Groups[1].Value);
        Assert.Equal(entry, EntryAssembly().Match(dockerfile).Groups[1].Value);
        var output = Directory.CreateTempSubdirectory($"publish-{image}-").FullName;

        try
        {
            await Command.RunAsync("dotnet", ["publish", Repository.Path(project), "-c", "Release", "-o", output,
                "--no-self-contained", "-p:UseAppHost=false", "-nologo", "-v:q"], TimeSpan.FromMinutes(10));

            Assert.True(File.Exists(Path.Combine(output, entry)), $"{entry} missing in {output}");
            Assert.True(File.Exists(Path.Combine(output, Path.ChangeExtension(entry, ".runtimeconfig.json"))));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Theory]
    [InlineData("idp")]
    [InlineData("operator")]
    [InlineData("outpost")]
    public async Task Dockerfile_RuntimeStage_ChiseledNonRootWithoutShell(string image)
    {
        var dockerfile = await File.ReadAllTextAsync(Repository.Path("deploy", "docker", $"{image}.Dockerfile"));
        var runtime = dockerfile[dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];

        Assert.Matches(@"^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0-[a-z]+-chiseled\n", runtime);
        Assert.Contains("USER 1654:1654", runtime, StringComparison.Ordinal);
        // The exec form: no /bin/sh is needed (the chiseled image has none).
        Assert.Matches(@"ENTRYPOINT \[""dotnet"", ""[\w.]+\.dll""\]", runtime);
        Assert.DoesNotContain("RUN ", runtime, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"RUN dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishedProject();

    [GeneratedRegex(@"ENTRYPOINT \[""dotnet"", ""([^""]+)""\]")]
    private static partial Regex EntryAssembly();
}
