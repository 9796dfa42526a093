namespace SsoOperator.Testing;

/// <summary>
/// One PostgreSQL server and one API server per test process, started on first use and stopped when the
/// process exits. Tests isolate themselves with their own database or namespace.
/// </summary>
public static class SharedEnvironment
{
    private static readonly Lazy<Task<PostgresServer>> Postgres = new(PostgresServer.StartAsync);
    private static readonly Lazy<Task<KubeApiServer>> Kube =
        new(() => KubeApiServer.StartAsync(withControllerManager: true));

    static SharedEnvironment() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

    public static Task<PostgresServer> PostgresAsync() => Postgres.Value;

    public static Task<KubeApiServer> KubeAsync() => Kube.Value;

    private static void Stop()
    {
        if (Kube.IsValueCreated && Kube.Value.IsCompletedSuccessfully)
        {
            Kube.Value.Result.Dispose();
        }
        if (Postgres.IsValueCreated && Postgres.Value.IsCompletedSuccessfully)
        {
            Postgres.Value.Result.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }
}
