using System.Net.Sockets;
using SsoOperator.Testing;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>
/// Real nginx or Caddy from Debian's packages, on a loopback port of its own, configured from the
/// templates in ingress/ (the same configurations docs/outpost.md shows) in front of an outpost.
/// </summary>
public sealed class RealIngress : IAsyncDisposable
{
    private readonly LocalProcess process;
    private readonly string directory;

    private RealIngress(LocalProcess process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<RealIngress> StartAsync(string kind, int outpostPort, string upstreamUrl)
    {
        var directory = Directory.CreateTempSubdirectory($"outpost-{kind}-").FullName;
        var port = LocalProcess.FreePort();
        var template = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "ingress",
            kind == "nginx" ? "nginx.conf" : "Caddyfile"));
        var config = template.Replace("{{DIR}}", directory, StringComparison.Ordinal)
            .Replace("{{PORT}}", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                StringComparison.Ordinal)
            .Replace("{{OUTPOST}}", $"127.0.0.1:{outpostPort}", StringComparison.Ordinal)
            .Replace("{{UPSTREAM}}", new Uri(upstreamUrl).Authority, StringComparison.Ordinal);
        var configPath = Path.Combine(directory, kind == "nginx" ? "nginx.conf" : "Caddyfile");
        await File.WriteAllTextAsync(configPath, config);

        var process = kind == "nginx" ? StartNginx(directory, configPath) : StartCaddy(directory, configPath);
        var ingress = new RealIngress(process, directory, port);
        try
        {
            await ingress.WaitListeningAsync(kind);
            return ingress;
        }
        catch
        {
            await ingress.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        process.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Note: a log file still being closed; the temp directory is cleaned with the machine.
        }
        return ValueTask.CompletedTask;
    }

    private static LocalProcess StartNginx(string directory, string configPath)
    {
        var nginx = Command.Which("nginx") ?? "/usr/sbin/nginx";
        if (!File.Exists(nginx))
        {
            throw new InvalidOperationException("nginx is not installed; run `make setup` (Debian package nginx)");
        }
        return LocalProcess.Start(nginx,
            ["-c", configPath, "-p", directory, "-e", Path.Combine(directory, "error.log")],
            Path.Combine(directory, "nginx.out"));
    }

    private static LocalProcess StartCaddy(string directory, string configPath)
    {
        var caddy = Command.Which("caddy")
            ?? throw new InvalidOperationException("caddy is not installed; run `make setup` (Debian package caddy)");
        return LocalProcess.Start(caddy, ["run", "--config", configPath, "--adapter", "caddyfile"],
            Path.Combine(directory, "caddy.out"),
            new Dictionary<string, string>
            {
                ["HOME"] = directory,
                ["XDG_DATA_HOME"] = directory,
                ["XDG_CONFIG_HOME"] = directory,
            });
    }

    private async Task WaitListeningAsync(string kind)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }
        var log = kind == "nginx" ? Path.Combine(directory, "error.log") : process.LogPath;
        throw new InvalidOperationException($"{kind} did not start:\n{process.Tail()}\n" +
            (File.Exists(log) ? await File.ReadAllTextAsync(log) : ""));
    }
}
