using Npgsql;

namespace SsoOperator.Testing;

/// <summary>
/// A throwaway PostgreSQL server: initdb and pg_ctl in a temporary directory, on a free loopback port,
/// removed on dispose. When SSO_TEST_POSTGRES holds a connection string, that server is used instead.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string ExternalVariable = "SSO_TEST_POSTGRES";
    private readonly string? dataDirectory;
    private readonly string? binDirectory;

    private PostgresServer(string adminConnectionString, string? dataDirectory, string? binDirectory, int port)
    {
        AdminConnectionString = adminConnectionString;
        this.dataDirectory = dataDirectory;
        this.binDirectory = binDirectory;
        Port = port;
    }

    /// <summary>Connects as the superuser to the `postgres` database.</summary>
    public string AdminConnectionString { get; }

    public int Port { get; }

    /// <summary>False when the tests use an external server that they must not stop.</summary>
    public bool IsOwned => dataDirectory is not null;

    public static async Task<PostgresServer> StartAsync()
    {
        var external = Environment.GetEnvironmentVariable(ExternalVariable);
        if (!string.IsNullOrEmpty(external))
        {
            var builder = new NpgsqlConnectionStringBuilder(external);
            return new PostgresServer(external, null, null, builder.Port);
        }

        var bin = FindBinDirectory();
        var root = Directory.CreateTempSubdirectory("sso-pg-").FullName;
        var data = Path.Combine(root, "data");
        var port = LocalProcess.FreePort();
        var server = new PostgresServer(
            $"Host=127.0.0.1;Port={port};Username=postgres;Password=postgres;Database=postgres;Pooling=false",
            data, bin, port);

        await server.InitAsync(root);
        await server.StartProcessAsync();
        LocalProcess.RunAfterExit(server.StopCommand() + $"; rm -rf '{root}'");
        return server;
    }

    /// <summary>Creates an empty database and returns a connection string for it.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync();
        }
        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name, Pooling = true }
            .ConnectionString;
    }

    /// <summary>Stops the server (fast shutdown) as an outage would; <see cref="StartProcessAsync"/> resumes.</summary>
    public async Task StopProcessAsync()
    {
        RequireOwned();
        await RunAsPostgres("pg_ctl", ["stop", "-D", dataDirectory!, "-m", "fast", "-w"]);
    }

    public async Task StartProcessAsync()
    {
        RequireOwned();
        var options = $"-c listen_addresses=127.0.0.1 -c port={Port} -c unix_socket_directories='' " +
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200";
        var log = Path.Combine(Path.GetDirectoryName(dataDirectory!)!, "postgres.log");
        await RunAsPostgres("pg_ctl", ["start", "-D", dataDirectory!, "-w", "-t", "60", "-l", log, "-o", options]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!IsOwned)
        {
            return;
        }
        try
        {
            await RunAsPostgres("pg_ctl", ["stop", "-D", dataDirectory!, "-m", "immediate", "-w"]);
        }
        catch (InvalidOperationException)
        {
            // Note: already stopped (a test may have stopped it); the directory is removed either way.
        }
        Directory.Delete(Path.GetDirectoryName(dataDirectory!)!, recursive: true);
    }

    private async Task InitAsync(string root)
    {
        var passwordFile = Path.Combine(root, "pwfile");
        await File.WriteAllTextAsync(passwordFile, "postgres\n");
        if (Command.IsRoot)
        {
            // PostgreSQL refuses to run as root; the Debian package's `postgres` user runs it instead.
            await Command.RunAsync("chown", ["-R", "postgres:postgres", root]);
        }
        await RunAsPostgres("initdb", ["-D", dataDirectory!, "-U", "postgres", "--pwfile", passwordFile,
            "-A", "scram-sha-256", "-E", "UTF8", "--no-sync"]);
    }

    private string StopCommand()
    {
        var stop = $"'{Path.Combine(binDirectory!, "pg_ctl")}' stop -D '{dataDirectory}' -m immediate -w";
        return (Command.IsRoot ? $"runuser -u postgres -- {stop}" : stop) + " >/dev/null 2>&1";
    }

    private Task<string> RunAsPostgres(string tool, IEnumerable<string> arguments)
    {
        var path = Path.Combine(binDirectory!, tool);
        return Command.IsRoot
            ? Command.RunAsync("runuser", ["-u", "postgres", "--", path, .. arguments], TimeSpan.FromMinutes(2), "/")
            : Command.RunAsync(path, arguments, TimeSpan.FromMinutes(2));
    }

    private void RequireOwned()
    {
        if (!IsOwned)
        {
            throw new InvalidOperationException($"the server named by {ExternalVariable} is not ours to stop");
        }
    }

    private static string FindBinDirectory()
    {
        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderByDescending(d => d).FirstOrDefault()
            : null;
        var onPath = Command.Which("initdb") is { } initdb ? Path.GetDirectoryName(initdb) : null;
        return debian ?? onPath ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found. Install them with " +
            "`apt-get install postgresql` (or run `make setup`), or set SSO_TEST_POSTGRES to a connection string.");
    }
}
