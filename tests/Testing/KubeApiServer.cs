using System.Security.Cryptography;
using k8s;

namespace SsoOperator.Testing;

/// <summary>
/// A real kube-apiserver with its own etcd on loopback, the way controller-runtime's envtest runs them:
/// token authentication for an admin in system:masters, RBAC authorization, a throwaway service-account key.
/// Optionally kube-controller-manager too, for garbage collection and Deployments.
/// </summary>
public sealed class KubeApiServer : IDisposable
{
    private readonly List<LocalProcess> processes = [];
    private readonly string root;

    private KubeApiServer(string root, int port, string token)
    {
        this.root = root;
        Port = port;
        AdminToken = token;
        KubeconfigPath = Path.Combine(root, "kubeconfig");
    }

    public int Port { get; }

    public string AdminToken { get; }

    public string Url => $"https://127.0.0.1:{Port}";

    /// <summary>A kubeconfig for the admin user, usable by kubectl and by KubernetesClient.</summary>
    public string KubeconfigPath { get; }

    public static async Task<KubeApiServer> StartAsync(bool withControllerManager = false)
    {
        var apiserver = TestAssets.Require("kube-apiserver");
        var etcd = TestAssets.Require("etcd");
        var root = System.IO.Directory.CreateTempSubdirectory("sso-kube-").FullName;
        var token = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var server = new KubeApiServer(root, LocalProcess.FreePort(), token);

        try
        {
            var etcdUrl = server.StartEtcd(etcd);
            server.StartApiServer(apiserver, etcdUrl);
            await File.WriteAllTextAsync(server.KubeconfigPath, server.RenderKubeconfig());
            await server.WaitReadyAsync();
            if (withControllerManager)
            {
                server.StartControllerManager(TestAssets.Require("kube-controller-manager"));
            }
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public Kubernetes CreateClient() =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(KubeconfigPath));

    /// <summary>Runs kubectl against this server and returns its standard output.</summary>
    public Task<string> KubectlAsync(params string[] arguments) =>
        Command.RunAsync(TestAssets.Kubectl(), ["--kubeconfig", KubeconfigPath, .. arguments]);

    public void Dispose()
    {
        foreach (var process in Enumerable.Reverse(processes))
        {
            process.Dispose();
        }
        if (Environment.GetEnvironmentVariable("SSO_TEST_KEEP") == "1")
        {
            return;
        }
        try
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Note: etcd may still hold a file for a moment; a leftover temp directory is harmless.
        }
    }

    private string StartEtcd(string etcd)
    {
        var client = $"http://127.0.0.1:{LocalProcess.FreePort()}";
        var peer = $"http://127.0.0.1:{LocalProcess.FreePort()}";
        processes.Add(LocalProcess.Start(etcd,
        [
            "--name", "test", "--data-dir", Path.Combine(root, "etcd"),
            "--listen-client-urls", client, "--advertise-client-urls", client,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", $"test={peer}", "--log-level", "warn",
        ], Path.Combine(root, "etcd.log")));
        return client;
    }

    private void StartApiServer(string apiserver, string etcdUrl)
    {
        var key = Path.Combine(root, "sa.key");
        using (var rsa = RSA.Create(2048))
        {
            File.WriteAllText(key, rsa.ExportRSAPrivateKeyPem());
        }
        var tokens = Path.Combine(root, "tokens.csv");
        File.WriteAllText(tokens, $"{AdminToken},admin,admin-uid,\"system:masters\"\n");

        processes.Add(LocalProcess.Start(apiserver,
        [
            "--etcd-servers", etcdUrl, "--bind-address", "127.0.0.1", "--advertise-address", "127.0.0.1",
            "--secure-port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--cert-dir", Path.Combine(root, "certs"), "--token-auth-file", tokens,
            "--authorization-mode", "RBAC", "--service-cluster-ip-range", "10.0.0.0/24",
            "--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
            "--service-account-key-file", key, "--service-account-signing-key-file", key,
            // No kubelet and no token controller here: pods need no service-account token mounted.
            "--disable-admission-plugins=ServiceAccount", "--allow-privileged=true",
        ], Path.Combine(root, "kube-apiserver.log")));
    }

    private void StartControllerManager(string binary)
    {
        processes.Add(LocalProcess.Start(binary,
        [
            "--kubeconfig", KubeconfigPath, "--leader-elect=false", "--port=0", "--secure-port=0",
            "--controllers", "garbagecollector,deployment,replicaset,namespace",
            "--use-service-account-credentials=false",
        ], Path.Combine(root, "kube-controller-manager.log")));
    }

    private string RenderKubeconfig() => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: test
          cluster:
            server: {Url}
            insecure-skip-tls-verify: true
        users:
        - name: admin
          user:
            token: {AdminToken}
        contexts:
        - name: test
          context:
            cluster: test
            user: admin
            namespace: default
        current-context: test
        """;

    private async Task WaitReadyAsync()
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        http.DefaultRequestHeaders.Authorization = new("Bearer", AdminToken);

        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (processes.FirstOrDefault(p => p.HasExited) is { } dead)
            {
                throw new InvalidOperationException($"{Path.GetFileName(dead.LogPath)} exited:\n{dead.Tail()}");
            }
            try
            {
                using var response = await http.GetAsync(new Uri($"{Url}/readyz"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while it starts.
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"kube-apiserver was not ready within 90 s:\n{processes[^1].Tail()}");
    }
}
