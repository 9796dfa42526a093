using System.Text.Json.Nodes;

namespace SsoOperator.Outpost.Tests.Infrastructure;

/// <summary>
/// One test IdP, one echo upstream and two outpost replicas sharing a config file (and so a session
/// key), for every test in the Gate collection.
/// </summary>
public sealed class GateFixture : IAsyncLifetime
{
    private readonly Dictionary<string, Task<RealIngress>> ingresses = [];

    public TestIdp Idp { get; private set; } = null!;

    public EchoUpstream Upstream { get; private set; } = null!;

    public OutpostInstance Primary { get; private set; } = null!;

    public OutpostInstance Replica { get; private set; } = null!;

    public string ConfigDirectory { get; } = Directory.CreateTempSubdirectory("outpost-test-").FullName;

    public async Task InitializeAsync()
    {
        Idp = await TestIdp.StartAsync([
            TestConfig.Client("app1", "app1.test"),
            TestConfig.Client("admin", "admin.test"),
            TestConfig.Client("nobody", "nobody.test"),
            TestConfig.Client("fwd", "fwd.test"),
            TestConfig.Client("domain", "auth.apps.test"),
            TestConfig.Client("reload", "reload.test"),
            TestConfig.Client("bearer", "bearer.test"),
        ]);
        Upstream = await EchoUpstream.StartAsync();
        TestConfig.WriteAtomically(ConfigDirectory, Config());
        var path = Path.Combine(ConfigDirectory, "config.json");
        Primary = await OutpostInstance.StartAsync(path);
        Replica = await OutpostInstance.StartAsync(path);
    }

    /// <summary>The apps every test uses; the proxy apps forward to the echo upstream.</summary>
    public JsonObject Config(params JsonObject[] extra) => TestConfig.File(Idp, [
        TestConfig.App("app1", "proxy", "app1.test", TestConfig.Groups("staff"), Upstream.Url,
            skipPaths: ["^/public(/|$)"]),
        TestConfig.App("admin", "proxy", "admin.test", MfaAdmins(), Upstream.Url),
        TestConfig.App("nobody", "proxy", "nobody.test", TestConfig.Groups("no-such-group"), Upstream.Url),
        TestConfig.App("fwd", "forwardAuth", "fwd.test", TestConfig.Groups("staff"), skipPaths: ["^/health$"]),
        TestConfig.App("domain", "forwardAuthDomain", "auth.apps.test", TestConfig.Users("alice"),
            cookieDomain: "apps.test"),
        BearerApp(),
        .. extra,
    ]);

    /// <summary>Swaps in a new config and waits until both replicas have applied it.</summary>
    public async Task ApplyAsync(JsonObject config)
    {
        var revision = $"r{Guid.NewGuid():N}";
        config["revision"] = revision;
        TestConfig.WriteAtomically(ConfigDirectory, config);
        await WaitForRevisionAsync(Primary, revision);
        await WaitForRevisionAsync(Replica, revision);
    }

    public static async Task WaitForRevisionAsync(OutpostInstance outpost, string revision)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!outpost.Logs.Lines.Any(l => l.EventId == 1 && l.Message.Contains(revision, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"revision {revision} was not applied within 5 s");
            await Task.Delay(50);
        }
    }

    /// <summary>A real nginx or Caddy in front of the primary replica, started on first use.</summary>
    public Task<RealIngress> IngressAsync(string kind)
    {
        lock (ingresses)
        {
            if (!ingresses.TryGetValue(kind, out var ingress))
            {
                ingress = RealIngress.StartAsync(kind, Primary.Port, Upstream.Url);
                ingresses[kind] = ingress;
            }
            return ingress;
        }
    }

    public Browser Browser(string user = "alice", string amr = "pwd") => new(Idp, Primary.Port, user, amr);

    public async Task DisposeAsync()
    {
        foreach (var ingress in ingresses.Values)
        {
            if (ingress.IsCompletedSuccessfully)
            {
                await ingress.Result.DisposeAsync();
            }
        }
        // Null-safe: a start-up that failed half-way must still stop what it started.
        foreach (var part in new IAsyncDisposable?[] { Primary, Replica, Upstream, Idp })
        {
            if (part is not null)
            {
                await part.DisposeAsync();
            }
        }
        Directory.Delete(ConfigDirectory, recursive: true);
    }

    private JsonObject BearerApp()
    {
        var app = TestConfig.App("bearer", "proxy", "bearer.test", TestConfig.Groups("staff"), Upstream.Url);
        app["passAccessToken"] = true;
        return app;
    }

    private static JsonObject MfaAdmins()
    {
        var access = TestConfig.Groups("admins");
        access["requireMfa"] = true;
        return access;
    }
}

[CollectionDefinition(Name)]
public sealed class GateCollection : ICollectionFixture<GateFixture>
{
    public const string Name = "Gate";
}
