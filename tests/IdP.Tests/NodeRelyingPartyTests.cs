using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// The npm package openid-client (a certified relying-party library) run by Node against the IdP, through the
/// real sign-in form; jose verifies the ID token against the JWKS.
/// </summary>
public sealed class NodeRelyingPartyTests(IdpHost idp) : IClassFixture<IdpHost>
{
    private static readonly SemaphoreSlim Install = new(1, 1);

    [Fact]
    public async Task OpenIdClient_CodeFlowRefreshUserInfoLogout_AllAccepted()
    {
        var user = Scenario.Unique("node");
        var created = await idp.CreateUserAsync(user, Scenario.Password, "staff");
        var client = await Scenario.ClientAsync(idp);
        var bye = new Uri($"https://{client.ClientId}.example.com/bye");
        using var browser = new Browser();
        using var node = await StartAsync(idp.Issuer, client, bye);
        using var stop = new ProcessGuard(node);

        var authorizationUrl = (await ReadJsonAsync(node)).GetProperty("authorizationUrl").GetString()!;
        var login = await browser.GoAsync(new Uri(authorizationUrl), client.IsRedirect);
        var callback = await browser.SignInAsync(login, user, Scenario.Password, client.IsRedirect);
        await node.StandardInput.WriteLineAsync(callback.Url.ToString());
        var result = await ReadJsonAsync(node);
        var logout = await browser.GoAsync(new Uri(result.GetProperty("logoutUrl").GetString()!),
            u => u.Host == bye.Host);

        Assert.Equal(idp.Issuer.ToString(), result.GetProperty("issuer").GetString());
        Assert.Equal("RS256", result.GetProperty("algorithm").GetString());
        var claims = result.GetProperty("claims");
        var info = result.GetProperty("userinfo");
        Assert.Equal(created.Id, claims.GetProperty("sub").GetString());
        Assert.Equal(JsonValueKind.True, claims.GetProperty("email_verified").ValueKind);
        Assert.Equal("[\"staff\"]", claims.GetProperty("groups").GetRawText());
        foreach (var name in new[] { "sub", "preferred_username", "name", "email", "email_verified", "groups" })
        {
            Assert.Equal(claims.GetProperty(name).GetRawText(), info.GetProperty(name).GetRawText());
        }
        Assert.True(result.GetProperty("refreshed").GetProperty("hasAccessToken").GetBoolean());
        Assert.Equal(created.Id, result.GetProperty("refreshed").GetProperty("sub").GetString());
        Assert.Equal(bye.ToString(), logout.Url.GetLeftPart(UriPartial.Path));
        Assert.Equal("bye", logout.Query("state"));
    }

    private static async Task<Process> StartAsync(Uri issuer, OidcClient client, Uri postLogout)
    {
        var directory = await InstallAsync();
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = directory, RedirectStandardInput = true, RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var argument in new[] { "relying-party.mjs", issuer.ToString(), client.ClientId,
            client.Secret!, client.RedirectUri.ToString(), postLogout.ToString() })
        {
            info.ArgumentList.Add(argument);
        }
        return Process.Start(info) ?? throw new InvalidOperationException("node did not start");
    }

    private static async Task<JsonElement> ReadJsonAsync(Process node)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await node.StandardOutput.ReadLineAsync(timeout.Token);
        if (line is null)
        {
            throw new InvalidOperationException("openid-client failed: " + await node.StandardError.ReadToEndAsync());
        }
        return JsonDocument.Parse(line).RootElement;
    }

    /// <summary>Installs the locked npm packages once per test run.</summary>
    private static async Task<string> InstallAsync([CallerFilePath] string source = "")
    {
        var directory = Path.Combine(Path.GetDirectoryName(source)!, "interop");
        if (Command.Which("node") is null || Command.Which("npm") is null)
        {
            throw new InvalidOperationException(
                "This test runs openid-client on Node.js 20 or later: install `nodejs` and `npm`.");
        }
        await Install.WaitAsync();
        try
        {
            if (!Directory.Exists(Path.Combine(directory, "node_modules", "openid-client")))
            {
                await Command.RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5), directory);
            }
            return directory;
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>Ends the node process (ours, by its id) when a test fails half-way.</summary>
    private sealed class ProcessGuard(Process process) : IDisposable
    {
        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
