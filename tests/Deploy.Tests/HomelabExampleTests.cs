using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace SsoOperator.Deploy.Tests;

/// <summary>deploy/examples/homelab holds what its README promises.</summary>
public sealed class HomelabExampleTests
{
    private static Task<IReadOnlyList<JsonObject>> AppsAsync() =>
        Manifests.RenderObjectsAsync(Repository.Homelab("apps"));

    [Fact]
    public async Task Apps_EveryApplication_RequiresMfaAndNamesGroups()
    {
        var applications = (await AppsAsync()).OfKind("Application").ToList();

        Assert.Equal(["grafana", "guacamole", "jellyseerr", "portainer"],
            applications.Select(a => a["metadata"]!["name"]!.ToString()).Order());
        foreach (var application in applications)
        {
            Assert.Equal("true", application["spec"]!["access"]!["requireMfa"]!.ToString());
            var groups = application["spec"]!["access"]!["groups"]!.AsArray().Select(g => g!.ToString()).ToList();
            Assert.Contains("admins", groups);
            Assert.All(groups, group => Assert.Contains(group, (string[])["admins", "family"]));
        }
    }

    [Fact]
    public async Task Apps_Providers_AreProxyForAppsWithoutOidcAndOAuth2ForTheOthers()
    {
        var providers = (await AppsAsync()).OfKind("Provider")
            .ToDictionary(p => p["metadata"]!["name"]!.ToString(), p => p["spec"]!);

        Assert.Equal("proxy", providers["guacamole"]["proxy"]!["mode"]!.ToString());
        Assert.Equal("proxy", providers["jellyseerr"]["proxy"]!["mode"]!.ToString());
        Assert.Equal("portainer-oidc", SecretRef(providers["portainer"]));
        Assert.Equal("grafana-oidc", SecretRef(providers["grafana"]));
        var outpost = (await AppsAsync()).Single("Outpost", "homelab");
        Assert.Equal(["guacamole", "jellyseerr"],
            outpost["spec"]!["applicationRefs"]!.AsArray().Select(r => r!["name"]!.ToString()));
    }

    [Fact]
    public async Task Identity_GoogleSource_AdmitsTheWorkspaceOnlyAndMakesNewUsersFamily()
    {
        var apps = await AppsAsync();
        var source = Assert.Single(apps.OfKind("Source"));
        var oidc = source["spec"]!["oidc"]!;

        Assert.Equal("google", source["metadata"]!["name"]!.ToString());
        Assert.Equal("https://accounts.google.com", oidc["issuer"]!.ToString());
        Assert.Equal("1234-example.apps.googleusercontent.com", oidc["clientId"]!.ToString());
        Assert.Equal("family.example.org", oidc["hostedDomain"]!.ToString());
        Assert.Equal("email", oidc["usernameClaim"]!.ToString());
        Assert.Equal("true", source["spec"]!["newUsers"]!["create"]!.ToString());
        Assert.Equal(["family"], source["spec"]!["newUsers"]!["groups"]!.AsArray().Select(g => g!.ToString()));
        var secretRef = oidc["clientSecret"]!["secretRef"]!;
        Assert.Equal("google-oidc", secretRef["name"]!.ToString());
        var secret = apps.Single("Secret", "google-oidc");
        Assert.Equal("sso", secret["metadata"]!["namespace"]!.ToString());
        Assert.Equal("example-google-secret-change-me",
            secret["stringData"]![secretRef["key"]!.ToString()]!.ToString());
    }

    [Fact]
    public async Task Identity_Groups_AreAdminsAndFamilyAndEveryGroupNamedIsOne()
    {
        var apps = await AppsAsync();
        var groups = apps.OfKind("Group").ToDictionary(g => g["metadata"]!["name"]!.ToString(),
            g => g["spec"]!["members"]!.AsArray().Select(m => m!.ToString()).ToList());
        var named = apps.OfKind("Application")
            .SelectMany(a => a["spec"]!["access"]!["groups"]!.AsArray().Select(g => g!.ToString()))
            .Concat(apps.Single("Source", "google")["spec"]!["newUsers"]!["groups"]!.AsArray()
                .Select(g => g!.ToString()));

        Assert.Equal(["admins", "family"], groups.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["alex@family.example.org"], groups["admins"]);
        Assert.Equal(["alex@family.example.org", "sam@family.example.org", "robin@family.example.org"],
            groups["family"]);
        Assert.Equal(["admins", "family"], named.Distinct().Order(StringComparer.Ordinal));
        Assert.All(apps.OfKind("Group"), g => Assert.Null(g["spec"]!["groupName"]));
    }

    [Fact]
    public async Task Portainer_Comment_SaysUserIdentifierIsPreferredUsername()
    {
        var provider = await File.ReadAllTextAsync(Repository.Homelab("apps/portainer/provider.yaml"));

        Assert.Matches(@"#\s+User identifier\s+preferred_username", provider);
    }

    [Fact]
    public async Task GrafanaIni_GenericOauth_MatchesTheProvider()
    {
        var ini = await File.ReadAllTextAsync(Repository.Homelab("apps/grafana/grafana.ini"));
        var grafana = (await AppsAsync()).Single("Provider", "grafana")["spec"]!["oauth2"]!;
        var section = ini[ini.IndexOf("[auth.generic_oauth]", StringComparison.Ordinal)..];

        Assert.Equal(grafana["clientId"]!.ToString(), Setting(section, "client_id"));
        Assert.Equal("https://grafana.home.example.com/login/generic_oauth", grafana["redirectUris"]![0]!.ToString());
        Assert.Equal(Setting(ini, "root_url") + "login/generic_oauth", grafana["redirectUris"]![0]!.ToString());
        Assert.Equal("https://sso.home.example.com/connect/token", Setting(section, "token_url"));
        Assert.Equal("true", Setting(section, "use_pkce"));
        Assert.Equal("groups", Setting(section, "groups_attribute_path"));
    }

    [Fact]
    public void Secrets_OnlyInSopsFiles()
    {
        var yaml = Directory.GetFiles(Repository.Homelab(), "*.yaml", SearchOption.AllDirectories);

        var withSecrets = yaml.Where(file => Manifests.Parse(File.ReadAllText(file)).OfKind("Secret").Any())
            .Select(file => Path.GetRelativePath(Repository.Homelab(), file)).Order(StringComparer.Ordinal);

        Assert.Equal(["apps/grafana/grafana-oidc.sops.yaml", "apps/identity/google-oidc.sops.yaml",
            "apps/portainer/portainer-oidc.sops.yaml", "infrastructure/sso-database/idp-database.sops.yaml"],
            withSecrets);
    }

    [Fact]
    public async Task SopsRules_EncryptDataAndStringDataOfEverySopsFile()
    {
        var rules = Manifests.Parse(await File.ReadAllTextAsync(Repository.Homelab(".sops.yaml")))[0];
        var rule = rules["creation_rules"]![0]!;
        var pathRegex = new Regex(rule["path_regex"]!.ToString());
        var sopsFiles = Directory.GetFiles(Repository.Homelab(), "*.sops.yaml", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) != ".sops.yaml").ToList();

        Assert.Equal("^(data|stringData)$", rule["encrypted_regex"]!.ToString());
        Assert.StartsWith("age1", rule["age"]!.ToString(), StringComparison.Ordinal);
        Assert.Equal(4, sopsFiles.Count);
        Assert.All(sopsFiles, file => Assert.Matches(pathRegex, Path.GetRelativePath(Repository.Homelab(), file)));
        Assert.DoesNotMatch(pathRegex, "apps/grafana/provider.yaml");
    }

    [Fact]
    public async Task FluxKustomizations_RunInOrderWithDecryptionAndHealth()
    {
        var flux = Manifests.Parse(await File.ReadAllTextAsync(Repository.Homelab("clusters/homelab/sso.yaml")))
            .ToDictionary(k => k["metadata"]!["name"]!.ToString(), k => k["spec"]!);

        Assert.Equal(["sso-apps", "sso-database", "ssooperator"], flux.Keys.Order());
        Assert.Equal("ssooperator", flux["sso-database"]["dependsOn"]![0]!["name"]!.ToString());
        Assert.Equal("sso-database", flux["sso-apps"]["dependsOn"]![0]!["name"]!.ToString());
        Assert.Equal("true", flux["sso-apps"]["wait"]!.ToString());
        Assert.Equal(
            ["applications.ssooperator.dev", "groups.ssooperator.dev", "outposts.ssooperator.dev",
                "providers.ssooperator.dev", "sources.ssooperator.dev"],
            flux["ssooperator"]["healthChecks"]!.AsArray().Select(c => c!["name"]!.ToString())
                .Order(StringComparer.Ordinal));
        foreach (var name in (string[])["sso-database", "sso-apps"])
        {
            Assert.Equal("sops", flux[name]["decryption"]!["provider"]!.ToString());
            Assert.Equal("sops-age", flux[name]["decryption"]!["secretRef"]!["name"]!.ToString());
            Assert.True(Directory.Exists(Repository.Homelab(flux[name]["path"]!.ToString())));
        }
        Assert.True(Directory.Exists(Repository.Path(flux["ssooperator"]["path"]!.ToString())));
    }

    [Fact]
    public async Task Readme_EncryptsEverySopsFileAndNamesEachOne()
    {
        var readme = await File.ReadAllTextAsync(Repository.Homelab("README.md"));
        var sopsFiles = Directory.GetFiles(Repository.Homelab(), "*.sops.yaml", SearchOption.AllDirectories)
            .Where(file => Path.GetFileName(file) != ".sops.yaml")
            .Select(file => Path.GetRelativePath(Repository.Homelab(), file));

        Assert.Contains("-exec sops --encrypt --in-place {}", readme, StringComparison.Ordinal);
        Assert.All(sopsFiles, file => Assert.Contains($"`{file}`", readme, StringComparison.Ordinal));
        Assert.DoesNotContain("Not yet", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readme_GoogleClient_RegistersTheSourcesRedirectUri()
    {
        var readme = await File.ReadAllTextAsync(Repository.Homelab("README.md"));
        var source = await File.ReadAllTextAsync(Repository.Homelab("apps/identity/google.yaml"));

        // The operator reports {issuer}federation/{slug}/callback; the issuer is the Flux patch's.
        const string RedirectUri = "https://sso.home.example.com/federation/google/callback";
        Assert.Contains(RedirectUri, readme, StringComparison.Ordinal);
        Assert.Contains(RedirectUri, source, StringComparison.Ordinal);
        Assert.Contains("kubectl -n sso get source google -o wide", readme, StringComparison.Ordinal);
        Assert.Contains("1234-example.apps.googleusercontent.com", readme, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FluxPatches_OnTheHomelabOverlay_SetTheIssuerOfBothAndTheIdpsMfaPolicy()
    {
        // Flux applies spec.patches on top of the path; kustomize v2 does the same with a tiny overlay.
        var flux = Manifests.Parse(await File.ReadAllTextAsync(Repository.Homelab("clusters/homelab/sso.yaml")))
            .Single("Kustomization", "ssooperator");
        var overlay = Directory.CreateTempSubdirectory("flux-patches-").FullName;
        var patches = flux["spec"]!["patches"]!.AsArray()
            .Select((p, i) => (File: $"patch-{i}.yaml", Text: p!["patch"]!.ToString())).ToList();
        foreach (var (file, text) in patches)
        {
            await File.WriteAllTextAsync(Path.Combine(overlay, file), text);
        }
        await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"),
            $"bases:\n- {Path.GetRelativePath(overlay, Repository.Path(flux["spec"]!["path"]!.ToString()))}\n" +
            $"patchesStrategicMerge:\n{string.Concat(patches.Select(p => $"- {p.File}\n"))}");

        var objects = await Manifests.RenderObjectsAsync(overlay);

        foreach (var deployment in (string[])["idp", "ssooperator"])
        {
            var pod = objects.Single("Deployment", deployment)["spec"]!["template"]!["spec"]!;
            var env = pod["containers"]![0]!["env"]!;
            Assert.Contains(env.AsArray(), e => e!["name"]!.ToString() == "Idp__Issuer"
                && e["value"]!.ToString() == "https://sso.home.example.com/");
            Assert.Contains(env.AsArray(), e => e!["name"]!.ToString() == "ConnectionStrings__Idp");
        }
        var idpEnv = objects.Single("Deployment", "idp")["spec"]!["template"]!["spec"]!["containers"]![0]!["env"]!;
        Assert.Contains(idpEnv.AsArray(), e => e!["name"]!.ToString() == "Idp__Mfa__Policy"
            && e["value"]!.ToString() == "Everyone");
    }

    private static string SecretRef(JsonNode spec) =>
        spec["oauth2"]!["clientSecret"]!["secretRef"]!["name"]!.ToString();

    private static string Setting(string ini, string key) =>
        Regex.Match(ini, $@"^{key} = (.*)$", RegexOptions.Multiline).Groups[1].Value.Trim();
}
