using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using SsoOperator.Testing;

namespace SsoOperator.Deploy.Tests;

/// <summary>
/// deploy/examples/homelab brought up the way Flux would: the homelab overlay installed, the IdP and
/// the operator running as processes on loopback with the environment their rendered Deployments give
/// them (the operator authenticated as its own ServiceAccount, so only the shipped RBAC lets it act),
/// and a fresh PostgreSQL database. Playing the kubelet, it marks outpost pods Ready.
/// </summary>
public sealed class HomelabStack : IAsyncLifetime
{
    public const string FieldManager = "kustomize-controller";
    private readonly List<LocalProcess> processes = [];
    private readonly string logs = Directory.CreateTempSubdirectory("homelab-").FullName;

    public KubeApiServer Kube { get; private set; } = null!;

    public Kubernetes Client { get; private set; } = null!;

    public string Issuer { get; private set; } = "";

    /// <summary>The IdP's database, for looking at the rows the operator wrote.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Kube = await Cluster.ReadyAsync();
        Client = Kube.CreateClient();
        var database = await (await SharedEnvironment.PostgresAsync()).CreateDatabaseAsync("deploy_homelab");
        ConnectionString = database;

        var install = await Manifests.RenderAsync(Repository.Kustomize("overlays/homelab"));
        await ApplyAsync(install);
        await ApplyAsync(await Manifests.RenderAsync(Repository.Homelab("infrastructure/sso-database")));

        var objects = Manifests.Parse(install);
        var idpPort = LocalProcess.FreePort();
        Issuer = $"http://127.0.0.1:{idpPort}/";
        var loopback = new Dictionary<string, string>
        {
            ["ConnectionStrings__Idp"] = database, ["Idp__Issuer"] = Issuer,
        };
        await StartAsync("idp", "src/IdP", "SsoOperator.IdP.dll", idpPort,
            Environment(objects, "idp", loopback));
        await StartAsync("ssooperator", "src/Operator", "SsoOperator.Operator.dll", LocalProcess.FreePort(),
            Environment(objects, "ssooperator", new(loopback)
            {
                ["POD_NAMESPACE"] = "sso", ["POD_NAME"] = "ssooperator-0",
                ["Kubeconfig"] = await ServiceAccountKubeconfigAsync("sso", "ssooperator"),
            }));
    }

    /// <summary>
    /// Server-side apply as Flux's kustomize-controller does it: Secrets normalised to `data`, its field
    /// manager, conflicts forced.
    /// </summary>
    public async Task<string> ApplyAsync(string rendered) =>
        await Kube.FreshKubectlAsync("apply", "--server-side", $"--field-manager={FieldManager}",
            "--force-conflicts", "-f", await Manifests.WriteTempAsync(FluxSecrets.Normalize(rendered)));

    /// <summary>What a kubelet does once an outpost container passes its readiness probe.</summary>
    public async Task MarkOutpostPodsReadyAsync()
    {
        var pods = await Client.CoreV1.ListNamespacedPodAsync("sso",
            labelSelector: "app.kubernetes.io/instance=homelab");
        foreach (var pod in pods.Items.Where(p => p.Metadata.DeletionTimestamp is null && p.Status?.Phase != "Running"))
        {
            var now = DateTime.UtcNow;
            var status = new
            {
                status = new
                {
                    phase = "Running",
                    conditions = new[]
                    {
                        new { type = "Ready", status = "True", lastTransitionTime = now },
                        new { type = "ContainersReady", status = "True", lastTransitionTime = now },
                    },
                },
            };
            await Client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(status, V1Patch.PatchType.MergePatch),
                pod.Metadata.Name, "sso");
        }
    }

    public string Logs() => string.Join("\n", processes.Select(p => $"--- {p.LogPath}\n{p.Tail(40)}"));

    public Task DisposeAsync()
    {
        foreach (var process in processes)
        {
            process.Dispose();
        }
        Client?.Dispose();
        return Task.CompletedTask;
    }

    // The container's environment from its rendered Deployment: the ConfigMap it imports and its plain
    // values; what a kubelet would resolve (Secret, downward API) and the loopback addresses come from
    // the test.
    private static Dictionary<string, string> Environment(IReadOnlyList<JsonObject> objects, string deployment,
        Dictionary<string, string> resolved)
    {
        var container = objects.Single("Deployment", deployment)["spec"]!["template"]!["spec"]!["containers"]![0]!;
        var configMap = container["envFrom"]![0]!["configMapRef"]!["name"]!.ToString();
        var environment = objects.Single("ConfigMap", configMap)["data"]!.AsObject()
            .ToDictionary(entry => entry.Key, entry => entry.Value!.ToString());
        foreach (var variable in container["env"]!.AsArray().Where(v => v!["value"] is not null))
        {
            environment[variable!["name"]!.ToString()] = variable["value"]!.ToString();
        }
        foreach (var (name, value) in resolved)
        {
            environment[name] = value;
        }
        return environment;
    }

    private async Task StartAsync(string name, string project, string assembly, int port,
        Dictionary<string, string> environment)
    {
        environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        var path = Path.Combine(Repository.Path(project), "bin", BuildConfiguration, "net10.0", assembly);
        var process = LocalProcess.Start("dotnet", [path], Path.Combine(logs, $"{name}.log"), environment);
        processes.Add(process);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await http.GetAsync(new Uri($"http://127.0.0.1:{port}/readyz"))).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(500);
        }
        throw new InvalidOperationException($"{name} did not become ready:\n{process.Tail(60)}");
    }

    // A bound token for the ServiceAccount (TokenRequest; this API server runs no token controller).
    private async Task<string> ServiceAccountKubeconfigAsync(string ns, string name)
    {
        var request = await Client.CoreV1.CreateNamespacedServiceAccountTokenAsync(new Authenticationv1TokenRequest
        {
            Spec = new V1TokenRequestSpec
            {
                Audiences = ["https://kubernetes.default.svc.cluster.local"], ExpirationSeconds = 3600,
            },
        }, name, ns);
        var path = Path.Combine(logs, $"{name}.kubeconfig");
        await File.WriteAllTextAsync(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {Kube.Url}
                insecure-skip-tls-verify: true
            users:
            - name: {name}
              user:
                token: {request.Status.Token}
            contexts:
            - name: test
              context:
                cluster: test
                user: {name}
            current-context: test
            """);
        return path;
    }

    // The test assembly's own configuration: bin/<Configuration>/net10.0/.
    private static string BuildConfiguration =>
        new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
}
