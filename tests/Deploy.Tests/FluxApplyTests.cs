using System.Globalization;
using System.Text.Json.Nodes;
using Npgsql;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// deploy/examples/homelab/apps applied the way Flux's kustomize-controller applies it (rendered, the
/// Secrets as they are after decryption, server-side apply as field manager kustomize-controller),
/// with the operator and the IdP running: every SSO object passes Flux's readiness rule for custom
/// resources, and applying the same tree again changes nothing.
/// </summary>
[Collection(ClusterWrites.Name)]
public sealed class FluxApplyTests(HomelabStack stack) : IClassFixture<HomelabStack>
{
    private static readonly string[] Kinds = ["providers", "applications", "outposts", "sources", "groups"];

    [Fact]
    public async Task Apply_HomelabApps_EverySsoObjectReadyAndSecondApplyChangesNothing()
    {
        var rendered = await Manifests.RenderAsync(Repository.Homelab("apps"));
        var objects = Manifests.Parse(rendered);
        var expected = objects.Where(o => o["apiVersion"]!.ToString().StartsWith("ssooperator.dev/",
            StringComparison.Ordinal)).Select(Manifests.Id).Order().ToList();

        await stack.ApplyAsync(rendered);
        var ready = await WaitAllReadyAsync(TimeSpan.FromSeconds(180));

        Assert.Equal(expected, ready.Select(Manifests.Id).Order());
        Assert.All(ready.OfKind("Provider").Where(p => p["spec"]!["oauth2"] is not null),
            provider => Assert.Equal(stack.Issuer, provider["status"]!["issuer"]!.ToString()));
        // What the README tells the admin to register at Google, reported by the operator.
        var google = ready.Single("Source", "google")["status"]!;
        Assert.Equal($"{stack.Issuer}federation/google/callback", google["redirectUri"]!.ToString());
        Assert.Equal(["admins 1", "family 3"], ready.OfKind("Group")
            .Select(g => $"{g["status"]!["groupName"]} {g["status"]!["memberCount"]}").Order(StringComparer.Ordinal));

        // The same commit again: no new generation, and no status write either.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var before = await VersionsAsync();
        var output = await stack.ApplyAsync(rendered);
        await Task.Delay(TimeSpan.FromSeconds(5));

        var after = await VersionsAsync();
        Assert.True(before.SequenceEqual(after), $"changed:\n{string.Join('\n', after.Except(before))}\n" +
            $"was:\n{string.Join('\n', before.Except(after))}\n{await DescribeAsync()}");
        Assert.Equal(objects.Count, output.Split('\n').Count(l => l.EndsWith("serverside-applied",
            StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Prune_HomelabApps_FinalizersRemoveIdpRowsAndOwnedObjectsGo()
    {
        var rendered = await Manifests.RenderAsync(Repository.Homelab("apps"));
        await stack.ApplyAsync(rendered);
        await WaitAllReadyAsync(TimeSpan.FromSeconds(180));
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM \"OpenIddictApplications\""));
        Assert.Equal(4, await CountAsync("SELECT count(*) FROM sso_applications"));
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM sso_sources"));
        Assert.Equal(2, await CountAsync(OwnedGroups));

        Assert.Equal(["deployment.apps/homelab", "secret/homelab-config", "service/homelab"],
            (await OutpostObjectsAsync()).Order(StringComparer.Ordinal));

        // What Flux's prune does when the folder leaves Git: delete every object of its inventory.
        await stack.Kube.FreshKubectlAsync("delete", "--wait=false", "-f", await Manifests.WriteTempAsync(rendered));
        await EventuallyAsync(async () => (await SsoObjectsAsync()).Count == 0, "SSO objects to be gone");

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM \"OpenIddictApplications\""));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM sso_applications"));
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM sso_sources"));
        Assert.Equal(0, await CountAsync(OwnedGroups));
        // The outpost's Deployment, Service and config Secret were owned by it: garbage-collected.
        await EventuallyAsync(async () => (await OutpostObjectsAsync()).Length == 0,
            "the outpost's objects to be collected");
    }

    [Fact]
    public async Task Rotate_GoogleClientSecretInGit_ReachesTheIdpRowWithoutANewGeneration()
    {
        var rendered = await Manifests.RenderAsync(Repository.Homelab("apps"));
        await stack.ApplyAsync(rendered);
        await WaitAllReadyAsync(TimeSpan.FromSeconds(180));
        Assert.Equal("example-google-secret-change-me https://accounts.google.com family.example.org {family}",
            await SourceRowAsync());
        var generation = await GenerationAsync();

        // The commit that rotates it: the Secret's value is all that differs.
        var rotated = rendered.Replace("example-google-secret-change-me", "rotated-google-secret",
            StringComparison.Ordinal);
        Assert.NotEqual(rendered, rotated);
        await stack.ApplyAsync(rotated);

        await EventuallyAsync(async () => (await SourceRowAsync()).StartsWith("rotated-google-secret ",
            StringComparison.Ordinal), "the rotated secret in the IdP's row");
        Assert.Equal(generation, await GenerationAsync());
        var events = await stack.Kube.FreshKubectlAsync("get", "events", "-n", "sso", "--field-selector",
            "involvedObject.kind=Source,involvedObject.name=google,reason=SecretRotated", "-o", "name");
        Assert.Single(events.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(IsReady((await SsoObjectsAsync()).Single("Source", "google")));

        // Back to the commit the other tests apply.
        await stack.ApplyAsync(rendered);
        await EventuallyAsync(async () => (await SourceRowAsync()).StartsWith("example-google-secret-change-me ",
            StringComparison.Ordinal), "the original secret back in the IdP's row");
    }

    private async Task<string> GenerationAsync() =>
        await stack.Kube.FreshKubectlAsync("get", "sources.ssooperator.dev", "google", "-n", "sso", "-o",
            "jsonpath={.metadata.generation}");

    // What the IdP reads for "Sign in with Google": secret, issuer, hosted domain, new users' groups.
    private async Task<string> SourceRowAsync()
    {
        await using var connection = new NpgsqlConnection(stack.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT concat_ws(' ', \"ClientSecret\", \"Issuer\", " +
            "\"HostedDomain\", \"NewUserGroups\"::text) FROM sso_sources WHERE \"Slug\" = 'google'", connection);
        return (string?)await command.ExecuteScalarAsync() ?? "";
    }

    // The groups that Group resources own (the IdP's own groups, such as the setup link's admins, have no owner).
    private const string OwnedGroups = "SELECT count(*) FROM \"AspNetRoles\" WHERE \"OwnerKind\" IS NOT NULL";

    private async Task<string[]> OutpostObjectsAsync() =>
        (await stack.Kube.FreshKubectlAsync("get", "deployments,services,secrets", "-n", "sso",
            "-l", "app.kubernetes.io/instance=homelab", "-o", "name"))
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private async Task<long> CountAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(stack.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(500);
        }
    }

    // Flux's rule for custom resources (kstatus): observedGeneration == generation and Ready=True.
    private static bool IsReady(JsonObject item) =>
        item["status"]?["observedGeneration"]?.ToString() == item["metadata"]!["generation"]!.ToString()
        && item["status"]!["conditions"]?.AsArray().Any(c => c!["type"]!.ToString() == "Ready"
            && c["status"]!.ToString() == "True") == true;

    private async Task<IReadOnlyList<JsonObject>> WaitAllReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            await stack.MarkOutpostPodsReadyAsync();
            var items = await SsoObjectsAsync();
            if (items.Count > 0 && items.All(IsReady))
            {
                return items;
            }
            if (DateTime.UtcNow > deadline)
            {
                var pending = items.Where(i => !IsReady(i)).Select(i => $"{i.Id()}: {i["status"]?.ToJsonString()}");
                Assert.Fail($"not Ready after {timeout}:\n{string.Join('\n', pending)}\n{stack.Logs()}");
            }
            await Task.Delay(1000);
        }
    }

    private async Task<IReadOnlyList<JsonObject>> SsoObjectsAsync()
    {
        var json = await stack.Kube.FreshKubectlAsync("get",
            string.Join(',', Kinds.Select(k => $"{k}.ssooperator.dev")), "-n", "sso", "-o", "json");
        return [.. Items(json)];
    }

    // generation and resourceVersion of every object the tree holds (SSO objects and Secrets).
    private async Task<List<string>> VersionsAsync()
    {
        var secrets = await stack.Kube.FreshKubectlAsync("get", "secrets", "portainer-oidc", "grafana-oidc",
            "google-oidc", "-n", "sso", "-o", "json");
        return [.. (await SsoObjectsAsync()).Concat(Items(secrets)).Select(i => $"{i.Id()} " +
            $"generation={i["metadata"]!["generation"]} resourceVersion={i["metadata"]!["resourceVersion"]}")];
    }

    private async Task<string> DescribeAsync() =>
        string.Join('\n', (await SsoObjectsAsync()).Select(i => $"{i.Id()}: {i["status"]?.ToJsonString()}"));

    private static IEnumerable<JsonObject> Items(string json) =>
        JsonNode.Parse(json)!["items"]!.AsArray().Select(i => i!.AsObject());
}
