using System.Globalization;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenIddict.Abstractions;
using SsoOperator.Crds;
using SsoOperator.IdP.Store;
using SsoOperator.Operator.Runtime;
using SsoOperator.Testing;

namespace SsoOperator.Operator.Tests.Support;

/// <summary>
/// One test's world: a namespace on the shared API server, a fresh IdP database, and operator replicas
/// running in-process against both, the way `make run` and a cluster run them.
/// </summary>
public sealed class OperatorEnvironment : IAsyncDisposable
{
    public const string DefaultIssuer = "http://127.0.0.1:9000/";
    private static readonly Lazy<Task> Crds = new(InstallCrdsAsync);
    private readonly Dictionary<string, WebApplication> replicas = [];
    private ServiceProvider? idp;

    private OperatorEnvironment(KubeApiServer kube, PostgresServer postgres, Kubernetes client, string ns,
        string connectionString, string issuer)
    {
        (Kube, Postgres, Client, Namespace, ConnectionString) = (kube, postgres, client, ns, connectionString);
        Issuer = issuer;
        Providers = new CustomResourceApi<Provider>(client, Type(Provider.Info), ns);
        Applications = new CustomResourceApi<Application>(client, Type(Application.Info), ns);
        Sources = new CustomResourceApi<Source>(client, Type(Source.Info), ns);
        Groups = new CustomResourceApi<Group>(client, Type(Group.Info), ns);
    }

    public KubeApiServer Kube { get; }

    public PostgresServer Postgres { get; }

    public Kubernetes Client { get; }

    public string Namespace { get; }

    public string ConnectionString { get; }

    public string Issuer { get; }

    public CustomResourceApi<Provider> Providers { get; }

    public CustomResourceApi<Application> Applications { get; }

    public CustomResourceApi<Source> Sources { get; }

    public CustomResourceApi<Group> Groups { get; }

    public IReadOnlyDictionary<string, WebApplication> Replicas => replicas;

    public static async Task<OperatorEnvironment> StartAsync(string prefix, int replicas = 1,
        string issuer = DefaultIssuer)
    {
        await Crds.Value;
        var kube = await SharedEnvironment.KubeAsync();
        var postgres = await SharedEnvironment.PostgresAsync();
        var (client, ns) = await TestCluster.NamespaceAsync(prefix);
        var database = await postgres.CreateDatabaseAsync(ns.Replace('-', '_'));
        var environment = new OperatorEnvironment(kube, postgres, client, ns, database, issuer);
        for (var i = 0; i < replicas; i++)
        {
            await environment.StartReplicaAsync($"replica-{i}");
        }
        return environment;
    }

    public async Task<WebApplication> StartReplicaAsync(string identity)
    {
        var app = OperatorHost.Build(
        [
            "--urls=http://127.0.0.1:0", $"--Kubeconfig={Kube.KubeconfigPath}", $"--WatchNamespace={Namespace}",
            $"--ConnectionStrings:Idp={ConnectionString}", $"--Idp:Issuer={Issuer}",
            $"--LeaderElection:Namespace={Namespace}", $"--LeaderElection:Identity={identity}",
            "--LeaderElection:LeaseDuration=00:00:03", "--LeaderElection:RenewDeadline=00:00:02",
            "--LeaderElection:RetryPeriod=00:00:00.300", "--LeaderElection:ReleaseOnCancel=false",
            "--Controllers:BackoffInitial=00:00:00.200",
            "--Controllers:BackoffMax=00:00:02", "--Controllers:ResyncPeriod=00:00:02",
            "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        replicas[identity] = app;
        return app;
    }

    /// <summary>Stops a replica without giving up its lease, as a killed process would.</summary>
    public async Task KillReplicaAsync(string identity)
    {
        var app = replicas[identity];
        replicas.Remove(identity);
        await app.StopAsync();
        await app.DisposeAsync();
    }

    public OperatorRuntime Runtime(string identity) =>
        replicas[identity].Services.GetRequiredService<OperatorRuntime>();

    public OperatorMetrics Metrics(string identity) =>
        replicas[identity].Services.GetRequiredService<OperatorMetrics>();

    /// <summary>kubectl apply of a manifest into this test's namespace.</summary>
    public async Task ApplyAsync(string yaml)
    {
        var file = Path.Combine(Path.GetTempPath(), $"manifest-{Guid.NewGuid():N}.yaml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            await Kube.KubectlAsync("apply", "-n", Namespace, "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public Task DeleteAsync(string kindAndName) => Kube.KubectlAsync("delete", "-n", Namespace, kindAndName,
        "--wait=false");

    public async Task<T> WaitReadyAsync<T>(IResourceApi<T> api, string name, TimeSpan? timeout = null)
        where T : ICustomResource
    {
        T? found = default;
        await TestCluster.EventuallyAsync(async () =>
        {
            found = await api.GetAsync(new ObjectKey(Namespace, name), CancellationToken.None);
            return found is not null && found.CurrentStatus.ObservedGeneration == found.Metadata.Generation
                && found.CurrentStatus.Conditions.Any(c => c.Type == "Ready" && c.Status == ConditionStatus.True);
        }, $"{name} to be Ready", timeout ?? TimeSpan.FromSeconds(60));
        return found!;
    }

    public async Task<Condition?> ReadyConditionAsync<T>(IResourceApi<T> api, string name)
        where T : ICustomResource =>
        (await api.GetAsync(new ObjectKey(Namespace, name), CancellationToken.None))?.CurrentStatus.Conditions
            .FirstOrDefault(c => c.Type == "Ready");

    /// <summary>The IdP's own view of its clients: what its token endpoint checks against.</summary>
    public IOpenIddictApplicationManager ClientManager()
    {
        if (idp is null)
        {
            var services = new ServiceCollection();
            services.AddConfigurationStore(ConnectionString);
            idp = services.BuildServiceProvider();
        }
        return idp.CreateScope().ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
    }

    public async Task<bool> SecretAcceptedAsync(string clientId, string secret)
    {
        var manager = ClientManager();
        var client = await manager.FindByClientIdAsync(clientId);
        return client is not null && await manager.ValidateClientSecretAsync(client, secret);
    }

    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64(await ExecuteScalarAsync(sql, parameters), CultureInfo.InvariantCulture);

    /// <summary>One column of one row, as text (null when there is no such row).</summary>
    public async Task<string?> ScalarAsync(string sql, params (string Name, object Value)[] parameters) =>
        await ExecuteScalarAsync(sql, parameters) is { } value and not DBNull
            ? Convert.ToString(value, CultureInfo.InvariantCulture) : null;

    private async Task<object?> ExecuteScalarAsync(string sql, (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }
        return await command.ExecuteScalarAsync();
    }

    public Task<long> ClientRowsAsync(string clientId) =>
        CountAsync("SELECT count(*) FROM \"OpenIddictApplications\" WHERE \"ClientId\" = @id", ("id", clientId));

    public Task<long> ApplicationRowsAsync(string slug) =>
        CountAsync("SELECT count(*) FROM sso_applications WHERE \"Slug\" = @slug", ("slug", slug));

    public Task<long> SourceRowsAsync(string slug) =>
        CountAsync("SELECT count(*) FROM sso_sources WHERE \"Slug\" = @slug", ("slug", slug));

    /// <summary>Every Event recorded on the named object, oldest first.</summary>
    public async Task<IReadOnlyList<Corev1Event>> EventsAsync(string name) =>
        [.. (await Client.CoreV1.ListNamespacedEventAsync(Namespace)).Items
            .Where(e => e.InvolvedObject.Name == name).OrderBy(e => e.FirstTimestamp)];

    public async ValueTask DisposeAsync()
    {
        foreach (var app in replicas.Values)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        if (idp is not null)
        {
            await idp.DisposeAsync();
        }
        Client.Dispose();
    }

    private static CustomResourceType Type(ResourceInfo info) => new(info.Group, info.Version, info.Plural, info.Kind);

    private static async Task InstallCrdsAsync()
    {
        var kube = await SharedEnvironment.KubeAsync();
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "SsoOperator.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("repository root not found");
        }
        foreach (var crd in Directory.GetFiles(Path.Combine(root, "config", "crd"), "ssooperator.dev_*.yaml"))
        {
            await kube.KubectlAsync("apply", "-f", crd);
        }
        await kube.KubectlAsync(["wait", "--for=condition=Established", "--timeout=60s",
            .. SsoApi.Kinds.Select(info => $"crd/{info.CrdName}")]);
    }
}
