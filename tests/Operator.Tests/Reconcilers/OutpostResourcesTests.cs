using System.Text;
using k8s;
using k8s.Models;
using SsoOperator.Operator.Reconcilers;

namespace SsoOperator.Operator.Tests.Reconcilers;

// Note: the referenced gate's namespace SsoOperator.Outpost would hide the kind otherwise.
using Outpost = SsoOperator.Crds.Outpost;

/// <summary>
/// Golden files: for each testdata/outpost/{case}/outpost.yaml, the generated Secret, Deployment and
/// Service equal the committed YAML beside it (secrets replaced by placeholders). Set
/// SSO_UPDATE_GOLDEN=1 to rewrite the files after an intended change, then review the diff.
/// </summary>
public sealed class OutpostResourcesTests
{
    private const string SessionKey = "PLACEHOLDER-session-key";
    private static readonly string Root = Path.Combine(RepositoryRoot(), "tests", "Operator.Tests", "testdata",
        "outpost");

    public static TheoryData<string> Cases() => [.. Directory.GetDirectories(Root)
        .Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_Case_MatchesGoldenFiles(string name)
    {
        var folder = Path.Combine(Root, name);
        var outpost = KubernetesYaml.Deserialize<Outpost>(File.ReadAllText(Path.Combine(folder, "outpost.yaml")));
        var json = Config(outpost).ToJson();
        var hash = OutpostConfig.Hash(json);

        var produced = new Dictionary<string, string>
        {
            ["secret.yaml"] = Yaml(Readable(OutpostResources.ConfigSecret(outpost, json, SessionKey))),
        };
        if (outpost.Spec.Deployment.Managed)
        {
            produced["deployment.yaml"] = Yaml(OutpostResources.Deployment(outpost, hash, new OutpostOptions()));
            produced["service.yaml"] = Yaml(OutpostResources.Service(outpost));
        }

        if (Environment.GetEnvironmentVariable("SSO_UPDATE_GOLDEN") == "1")
        {
            foreach (var (file, text) in produced)
            {
                File.WriteAllText(Path.Combine(folder, file), text);
            }
        }
        var expected = Directory.GetFiles(folder, "*.yaml").Select(f => Path.GetFileName(f)!)
            .Where(f => f != "outpost.yaml").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, produced.Keys.Order(StringComparer.Ordinal).ToList());
        foreach (var (file, text) in produced)
        {
            Assert.Equal(File.ReadAllText(Path.Combine(folder, file)), text);
        }
    }

    [Fact]
    public void Deployment_Defaults_HardenedAndProbedOnPing()
    {
        var outpost = KubernetesYaml.Deserialize<Outpost>(
            File.ReadAllText(Path.Combine(Root, "managed-defaults", "outpost.yaml")));

        var deployment = OutpostResources.Deployment(outpost, "abc", new OutpostOptions());

        var container = Assert.Single(deployment.Spec.Template.Spec.Containers);
        Assert.Equal(OutpostOptions.DefaultImage, container.Image);
        Assert.Equal("/ping", container.ReadinessProbe.HttpGet.Path);
        Assert.Equal("/ping", container.LivenessProbe.HttpGet.Path);
        Assert.True(container.SecurityContext.RunAsNonRoot);
        Assert.True(container.SecurityContext.ReadOnlyRootFilesystem);
        Assert.False(container.SecurityContext.AllowPrivilegeEscalation);
        Assert.Equal(["ALL"], container.SecurityContext.Capabilities.Drop);
        Assert.Equal("abc", deployment.Spec.Template.Metadata.Annotations[OutpostResources.ConfigHashAnnotation]);
        Assert.Equal(outpost.Metadata.Uid, Assert.Single(deployment.Metadata.OwnerReferences).Uid);
    }

    /// <summary>The config the reconciler would write for these apps; the client secret is a placeholder.</summary>
    private static OutpostConfig Config(Outpost outpost) => new(
        $"{outpost.Metadata.NamespaceProperty}/{outpost.Metadata.Name}",
        new OutpostIdp(outpost.Spec.BrowserUrl, outpost.Spec.IdpUrl), new OutpostSession(null, null, SessionKey),
        [.. outpost.Spec.ApplicationRefs.Select(r => App(r.Name))]);

    private static OutpostApp App(string name) => name switch
    {
        "dashboards" => new OutpostApp(name, "forwardAuthDomain", "https://auth.apps.example.com", null, [],
            "apps.example.com", $"{name}-proxy", "PLACEHOLDER-client-secret", false,
            new OutpostAccess([], ["alice"], false)),
        "guacamole" => new OutpostApp(name, "forwardAuth", "https://guacamole.example.com", null, [], null,
            $"{name}-proxy", "PLACEHOLDER-client-secret", false, new OutpostAccess(["homelab-admins"], [], true)),
        _ => new OutpostApp(name, "proxy", $"https://{name}.example.com", $"http://{name}.media.svc:5055",
            ["^/api/v1/status$"], null, $"{name}-proxy", "PLACEHOLDER-client-secret", false,
            new OutpostAccess(["family"], [], false)),
    };

    /// <summary>The Secret with its values as text, so that the golden file shows the config itself.</summary>
    private static V1Secret Readable(V1Secret secret)
    {
        secret.StringData = secret.Data.ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(p.Value));
        secret.Data = null;
        return secret;
    }

    private static string Yaml(object value) => KubernetesYaml.Serialize(value).ReplaceLineEndings("\n");

    private static string RepositoryRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SsoOperator.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }
        return root;
    }
}
