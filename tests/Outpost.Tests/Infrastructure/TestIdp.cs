using System.Net.Http.Json;
using System.Text.Json;
using SsoOperator.Testing;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>A client the test IdP knows: one per outpost app.</summary>
public sealed record IdpClientRegistration(string ClientId, string Secret, string ExternalHost);

/// <summary>
/// A real OpenID provider (oidc-provider on Node) on loopback. Its issuer is the browser URL
/// http://idp.test:9000/, which only the test browser can reach; the outpost reaches it at BackChannelUrl.
/// </summary>
public sealed class TestIdp : IAsyncDisposable
{
    public const string BrowserUrl = "http://idp.test:9000/";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly LocalProcess process;

    private TestIdp(LocalProcess process, int port)
    {
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public string BackChannelUrl => $"http://127.0.0.1:{Port}/";

    public static async Task<TestIdp> StartAsync(IEnumerable<IdpClientRegistration> clients)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "idp");
        await InstallAsync(directory);
        var port = LocalProcess.FreePort();
        var registrations = clients.Select(c => new Dictionary<string, object>
        {
            ["client_id"] = c.ClientId,
            ["client_secret"] = c.Secret,
            ["redirect_uris"] = new[] { c.ExternalHost + "/outpost/callback" },
            ["post_logout_redirect_uris"] = new[] { c.ExternalHost + "/outpost/signed_out" },
        });
        var node = Command.Which("node") ?? throw new InvalidOperationException("node is not installed");
        var process = LocalProcess.Start(node, [Path.Combine(directory, "server.mjs")],
            Path.Combine(Path.GetTempPath(), $"outpost-test-idp-{port}.log"),
            new Dictionary<string, string>
            {
                ["ISSUER"] = BrowserUrl,
                ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CLIENTS"] = JsonSerializer.Serialize(registrations),
            });
        var idp = new TestIdp(process, port);
        try
        {
            await idp.WaitReadyAsync();
            return idp;
        }
        catch
        {
            await idp.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync()
    {
        process.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>npm ci from the committed lock file, once per test run.</summary>
    private static async Task InstallAsync(string directory)
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
            {
                return;
            }
            var npm = Command.Which("npm") ?? throw new InvalidOperationException("npm is not installed");
            await Command.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(4), directory);
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private async Task WaitReadyAsync()
    {
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                break;
            }
            try
            {
                var doc = await http.GetFromJsonAsync<JsonElement>(BackChannelUrl + ".well-known/openid-configuration");
                if (doc.GetProperty("issuer").GetString() == BrowserUrl)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Note: not listening yet.
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"the test IdP did not start:\n{process.Tail()}");
    }
}
