using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests.Federation;

/// <summary>An account at the upstream issuer; null claims are left out of its ID tokens.</summary>
public sealed record UpstreamAccount(
    string Sub, string? Email = null, object? EmailVerified = null, string? Name = null,
    string? PreferredUsername = null, string? HostedDomain = null, bool Deny = false, string? Tamper = null);

/// <summary>
/// The upstream issuer of federated sign-ins: oidc-provider (a certified OpenID provider) on Node, on loopback
/// (upstream/server.mjs). The browser's upstream_user cookie picks the account, so no login form is needed.
/// </summary>
public class Upstream : IAsyncLifetime
{
    public const string UserCookie = "upstream_user";
    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private readonly HttpClient http = new();
    private readonly bool conform;
    private LocalProcess? process;

    public Upstream()
    {
    }

    /// <summary>With <paramref name="conform"/>, ID tokens carry no profile claims: only userinfo has them.</summary>
    protected Upstream(bool conform) => this.conform = conform;

    public Uri Issuer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var directory = await InstallAsync();
        var port = LocalProcess.FreePort();
        Issuer = new Uri($"http://127.0.0.1:{port}/");
        var node = Command.Which("node") ?? throw new InvalidOperationException("node is not installed");
        process = LocalProcess.Start(node, [Path.Combine(directory, "server.mjs")],
            Path.Combine(Path.GetTempPath(), $"idp-test-upstream-{port}.log"),
            new Dictionary<string, string>
            {
                ["ISSUER"] = Issuer.ToString(),
                ["PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["CONFORM"] = conform ? "1" : "0",
            });
        await WaitReadyAsync();
    }

    public Task DisposeAsync()
    {
        process?.Dispose();
        http.Dispose();
        GC.SuppressFinalize(this);
        return Task.CompletedTask;
    }

    /// <summary>Registers a client through Dynamic Client Registration 1.0; returns its id and secret.</summary>
    public async Task<(string ClientId, string Secret)> RegisterClientAsync(Uri redirectUri)
    {
        using var response = await http.PostAsJsonAsync(new Uri(Issuer, "reg"), new Dictionary<string, object>
        {
            ["redirect_uris"] = new[] { redirectUri.ToString() },
            ["response_types"] = new[] { "code" },
            ["grant_types"] = new[] { "authorization_code" },
            ["token_endpoint_auth_method"] = "client_secret_basic",
        });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body.ToString());
        return (body.GetProperty("client_id").GetString()!, body.GetProperty("client_secret").GetString()!);
    }

    public async Task<UpstreamAccount> AddAccountAsync(UpstreamAccount account)
    {
        var claims = new Dictionary<string, object?>
        {
            ["email"] = account.Email, ["email_verified"] = account.EmailVerified, ["name"] = account.Name,
            ["preferred_username"] = account.PreferredUsername, ["hd"] = account.HostedDomain,
        }.Where(c => c.Value is not null).ToDictionary();
        var body = new Dictionary<string, object?>
        {
            ["sub"] = account.Sub, ["claims"] = claims, ["deny"] = account.Deny, ["tamper"] = account.Tamper,
        };
        using var response = await http.PostAsJsonAsync(new Uri(Issuer, "test/accounts"), body);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return account;
    }

    /// <summary>The query of the last authorization request the upstream received.</summary>
    public async Task<JsonElement> LastAuthorizationAsync() =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(Issuer, "test/last-authorization"));

    /// <summary>The payload of the last ID token the upstream's token endpoint issued (before any tampering).</summary>
    public async Task<JsonElement> LastIdTokenAsync() =>
        await http.GetFromJsonAsync<JsonElement>(new Uri(Issuer, "test/last-id-token"));

    /// <summary>npm ci from the committed lock file, once per test run.</summary>
    private static async Task<string> InstallAsync([CallerFilePath] string source = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(source)!, "..", "upstream");
        var npm = Command.Which("npm") ?? throw new InvalidOperationException(
            "The federation tests run oidc-provider on Node.js 20 or later: install `nodejs` and `npm`.");
        await InstallLock.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "oidc-provider")))
            {
                await Command.RunAsync(npm, ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), directory);
            }
            return directory;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline && process is { HasExited: false })
        {
            try
            {
                var discovery = await http.GetFromJsonAsync<JsonElement>(
                    new Uri(Issuer, ".well-known/openid-configuration"));
                if (discovery.GetProperty("issuer").GetString() == Issuer.ToString())
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
        throw new InvalidOperationException($"the upstream issuer did not start:\n{process?.Tail()}");
    }
}

/// <summary>An upstream whose ID tokens (code flow) leave email, name and hd to userinfo.</summary>
public sealed class ConformingUpstream() : Upstream(conform: true);
