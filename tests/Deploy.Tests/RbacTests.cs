using System.Text.Json.Nodes;
using SsoOperator.Testing;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// The RBAC we ship, installed for real and asked with `kubectl auth can-i` as the operator's
/// ServiceAccount: it may do each thing src/Operator does, and nothing it does not.
/// </summary>
[Collection(ClusterWrites.Name)]
public sealed class RbacTests
{
    private const string Operator = "sso:ssooperator";
    // The namespaced overlay's RBAC, installed beside the base's under "scoped-" names (see Scoped).
    private const string ScopedOperator = "sso:scoped-ssooperator";

    /// <summary>Every call the operator makes: verb, resource, and where (-n or --all-namespaces).</summary>
    public static TheoryData<string, string, string> OperatorCalls() => new()
    {
        // Watchers list and watch across the cluster.
        { "list", "providers.ssooperator.dev", "--all-namespaces" },
        { "watch", "providers.ssooperator.dev", "--all-namespaces" },
        { "list", "applications.ssooperator.dev", "--all-namespaces" },
        { "watch", "applications.ssooperator.dev", "--all-namespaces" },
        { "list", "outposts.ssooperator.dev", "--all-namespaces" },
        { "watch", "outposts.ssooperator.dev", "--all-namespaces" },
        { "list", "sources.ssooperator.dev", "--all-namespaces" },
        { "watch", "sources.ssooperator.dev", "--all-namespaces" },
        { "list", "groups.ssooperator.dev", "--all-namespaces" },
        { "watch", "groups.ssooperator.dev", "--all-namespaces" },
        { "list", "secrets", "--all-namespaces" },
        { "watch", "secrets", "--all-namespaces" },
        { "list", "deployments.apps", "--all-namespaces" },
        { "watch", "deployments.apps", "--all-namespaces" },
        // Reconcilers re-read, add and remove finalizers, patch status.
        { "get", "providers.ssooperator.dev", "-n=apps" },
        { "patch", "providers.ssooperator.dev", "-n=apps" },
        { "patch", "providers.ssooperator.dev/status", "-n=apps" },
        { "update", "providers.ssooperator.dev/finalizers", "-n=apps" },
        { "get", "applications.ssooperator.dev", "-n=apps" },
        { "patch", "applications.ssooperator.dev", "-n=apps" },
        { "patch", "applications.ssooperator.dev/status", "-n=apps" },
        { "get", "outposts.ssooperator.dev", "-n=apps" },
        { "patch", "outposts.ssooperator.dev/status", "-n=apps" },
        { "update", "outposts.ssooperator.dev/finalizers", "-n=apps" },
        { "get", "sources.ssooperator.dev", "-n=apps" },
        { "patch", "sources.ssooperator.dev", "-n=apps" },
        { "patch", "sources.ssooperator.dev/status", "-n=apps" },
        { "get", "groups.ssooperator.dev", "-n=apps" },
        { "patch", "groups.ssooperator.dev", "-n=apps" },
        { "patch", "groups.ssooperator.dev/status", "-n=apps" },
        // An Outpost's Deployment and Service: created, patched, removed when no longer managed.
        { "get", "deployments.apps", "-n=apps" },
        { "create", "deployments.apps", "-n=apps" },
        { "patch", "deployments.apps", "-n=apps" },
        { "delete", "deployments.apps", "-n=apps" },
        { "get", "services", "-n=apps" },
        { "create", "services", "-n=apps" },
        { "patch", "services", "-n=apps" },
        { "delete", "services", "-n=apps" },
        // Secrets: read a secretRef, create and patch generated and outpost config Secrets; Events.
        { "get", "secrets", "-n=apps" },
        { "create", "secrets", "-n=apps" },
        { "patch", "secrets", "-n=apps" },
        { "create", "events", "-n=apps" },
        // Leader election in its own namespace.
        { "get", "leases.coordination.k8s.io", "-n=sso" },
        { "create", "leases.coordination.k8s.io", "-n=sso" },
        { "update", "leases.coordination.k8s.io", "-n=sso" },
        { "patch", "leases.coordination.k8s.io", "-n=sso" },
    };

    /// <summary>Things the operator never does, so it may not.</summary>
    public static TheoryData<string, string, string> NotOperatorCalls() => new()
    {
        { "delete", "secrets", "-n=apps" },
        { "update", "secrets", "-n=apps" },
        { "delete", "providers.ssooperator.dev", "-n=apps" },
        { "create", "providers.ssooperator.dev", "-n=apps" },
        { "update", "applications.ssooperator.dev/status", "-n=apps" },
        { "get", "configmaps", "-n=apps" },
        { "patch", "outposts.ssooperator.dev", "-n=apps" },
        { "create", "sources.ssooperator.dev", "-n=apps" },
        { "delete", "sources.ssooperator.dev", "-n=apps" },
        { "update", "sources.ssooperator.dev", "-n=apps" },
        { "update", "sources.ssooperator.dev/status", "-n=apps" },
        { "create", "groups.ssooperator.dev", "-n=apps" },
        { "delete", "groups.ssooperator.dev", "-n=apps" },
        { "update", "groups.ssooperator.dev/status", "-n=apps" },
        { "patch", "deployments.apps/status", "-n=apps" },
        { "list", "services", "--all-namespaces" },
        { "create", "pods", "-n=apps" },
        { "create", "leases.coordination.k8s.io", "-n=apps" },
        { "delete", "leases.coordination.k8s.io", "-n=sso" },
        { "create", "clusterrolebindings.rbac.authorization.k8s.io", "--all-namespaces" },
        { "impersonate", "serviceaccounts", "-n=sso" },
    };

    [Theory]
    [MemberData(nameof(OperatorCalls))]
    public async Task CanI_OperatorCall_Allowed(string verb, string resource, string scope)
    {
        var server = await InstalledAsync();

        Assert.True(await server.CanAsync(Operator, [.. Question(verb, resource), scope]),
            $"the operator may not {verb} {resource} {scope}");
    }

    [Theory]
    [MemberData(nameof(NotOperatorCalls))]
    public async Task CanI_CallTheOperatorNeverMakes_Denied(string verb, string resource, string scope)
    {
        var server = await InstalledAsync();

        Assert.False(await server.CanAsync(Operator, [.. Question(verb, resource), scope]),
            $"the operator may {verb} {resource} {scope}, which it never needs");
    }

    [Theory]
    [InlineData("get", "secrets", "-n=apps", true)]
    [InlineData("list", "secrets", "-n=apps", true)]
    [InlineData("watch", "secrets", "-n=apps", true)]
    [InlineData("patch", "providers.ssooperator.dev/status", "-n=apps", true)]
    [InlineData("create", "leases.coordination.k8s.io", "-n=sso", true)]
    [InlineData("get", "secrets", "-n=other", false)]
    [InlineData("list", "secrets", "-n=other", false)]
    [InlineData("get", "secrets", "-n=sso", false)]
    [InlineData("list", "secrets", "--all-namespaces", false)]
    [InlineData("list", "providers.ssooperator.dev", "-n=other", false)]
    [InlineData("patch", "sources.ssooperator.dev/status", "-n=apps", true)]
    [InlineData("watch", "groups.ssooperator.dev", "-n=apps", true)]
    [InlineData("list", "sources.ssooperator.dev", "-n=other", false)]
    [InlineData("list", "groups.ssooperator.dev", "--all-namespaces", false)]
    [InlineData("create", "deployments.apps", "-n=apps", true)]
    [InlineData("create", "deployments.apps", "-n=other", false)]
    [InlineData("list", "deployments.apps", "--all-namespaces", false)]
    public async Task CanI_NamespaceScopedOperator_OnlyInItsWatchedNamespace(string verb, string resource,
        string scope, bool allowed)
    {
        var server = await InstalledAsync();

        Assert.Equal(allowed, await server.CanAsync(ScopedOperator, [.. Question(verb, resource), scope]));
    }

    // "providers.ssooperator.dev/status" is asked as the resource with --subresource=status.
    private static string[] Question(string verb, string resource) => resource.Split('/') switch
    {
        [var plain] => [verb, plain],
        [var plain, var subresource] => [verb, plain, $"--subresource={subresource}"],
        _ => throw new ArgumentException(resource),
    };

    private static readonly Lazy<Task<KubeApiServer>> Installed = new(InstallAsync);

    private static Task<KubeApiServer> InstalledAsync() => Installed.Value;

    // The base installed for real, the way docs/install.md does it, and beside it the RBAC of the
    // namespaced overlay under other names.
    private static async Task<KubeApiServer> InstallAsync()
    {
        var server = await Cluster.ReadyAsync();
        // --force-conflicts: the Flux-style test may already have applied the same base on this shared server
        // as `kustomize-controller`; this install takes those fields over, as a second applier would.
        var rendered = await Manifests.RenderAsync(Repository.Kustomize("base"));
        await server.FreshKubectlAsync("apply", "--server-side", "--force-conflicts", "-f",
            await Manifests.WriteTempAsync(rendered));

        var scoped = Scoped(await Manifests.RenderObjectsAsync(Repository.Kustomize("overlays/namespaced")));
        await server.FreshKubectlAsync("apply", "--server-side", "--force-conflicts", "-f",
            await Manifests.WriteTempAsync(scoped));
        return server;
    }

    // Both installs share one API server, so the namespaced one's ServiceAccount, roles and bindings
    // are renamed; a rename of exact JSON strings leaves apiGroups such as "ssooperator.dev" alone.
    private static string Scoped(IEnumerable<JsonObject> objects)
    {
        string[] rbac = ["ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding"];
        var list = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "List",
            ["items"] = new JsonArray([.. objects.Where(o => rbac.Contains(o["kind"]!.ToString()))
                .Select(o => o.DeepClone())]),
        };
        return list.ToJsonString()
            .Replace("\"ssooperator\"", "\"scoped-ssooperator\"", StringComparison.Ordinal)
            .Replace("\"ssooperator-leader-election\"", "\"scoped-ssooperator-leader-election\"",
                StringComparison.Ordinal);
    }
}
