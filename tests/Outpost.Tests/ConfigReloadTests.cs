using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using SsoOperator.Outpost.Tests.Infrastructure;

namespace SsoOperator.Outpost.Tests;

/// <summary>Live config changes on a running outpost of its own, with the shared IdP and upstream.</summary>
[Collection(GateCollection.Name)]
public sealed class ConfigReloadTests(GateFixture fixture) : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("outpost-reload-").FullName;
    private OutpostInstance outpost = null!;

    public async Task InitializeAsync()
    {
        TestConfig.WriteAtomically(directory, fixture.Config());
        outpost = await OutpostInstance.StartAsync(Path.Combine(directory, "config.json"));
    }

    public async Task DisposeAsync()
    {
        await outpost.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task NewApp_AddedToConfig_ServedWithinFiveSecondsWithoutRestart()
    {
        using var browser = new Browser(fixture.Idp, outpost.Port);
        using var before = await browser.Http.GetAsync(Browser.App("reload.test", "/"));

        var stopwatch = Stopwatch.StartNew();
        TestConfig.WriteAtomically(directory, fixture.Config(ReloadApp()));
        var status = HttpStatusCode.NotFound;
        while (status == HttpStatusCode.NotFound && stopwatch.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
            using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("reload.test", "/")));
            status = response.StatusCode;
        }
        var (signedIn, _) = await browser.FollowAsync(Browser.App("reload.test", "/"));

        Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, status);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"took {stopwatch.Elapsed}");
        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
    }

    [Fact]
    public async Task PasswordOnlySession_AppStartsRequiringMfa_StepsUpAtTheIdp()
    {
        using var browser = new Browser(fixture.Idp, outpost.Port, "alice", "pwd");
        var (first, _) = await browser.FollowAsync(Browser.App("app1.test", "/page"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var stricter = fixture.Config();
        TestConfig.FindApp(stricter, "app1")["access"]!["requireMfa"] = true;
        var revision = $"r{Guid.NewGuid():N}";
        stricter["revision"] = revision;
        TestConfig.WriteAtomically(directory, stricter);
        await GateFixture.WaitForRevisionAsync(outpost, revision);

        // The password-only session no longer opens the app: the browser goes back to the IdP, not to a 403.
        using var stepUp = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/page")));
        using var api = await browser.Http.GetAsync(Browser.App("app1.test", "/api"));
        // The test IdP stands in for ours asking for the code: it forgets its session and signs in with otp.
        foreach (Cookie cookie in browser.Cookies.GetCookies(new Uri(TestIdp.BrowserUrl)))
        {
            cookie.Expired = !cookie.Name.StartsWith("test_", StringComparison.Ordinal);
        }
        browser.Cookies.Add(new Cookie("test_amr", "pwd.otp", "/", "idp.test"));
        var (afterCode, _) = await browser.FollowAsync(Browser.App("app1.test", "/page"));

        Assert.Equal(HttpStatusCode.Redirect, stepUp.StatusCode);
        Assert.StartsWith("http://idp.test", stepUp.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterCode.StatusCode);
    }

    [Fact]
    public async Task BrokenConfig_KeepsRevisionInForceAndLogsEveryError()
    {
        using var browser = new Browser(fixture.Idp, outpost.Port);
        var broken = fixture.Config();
        var app1 = TestConfig.FindApp(broken, "app1");
        app1["skipPaths"] = new JsonArray("/no-anchor", "^(unclosed");
        app1.Remove("clientId");
        TestConfig.FindApp(broken, "fwd")["mode"] = "sideways";
        broken["session"]!["lifetime"] = "forever";

        TestConfig.WriteAtomically(directory, broken);
        await WaitForAsync(() => Watcher().Any(l => l.EventId == 3));
        using var still = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/")));

        var errors = Watcher().Where(l => l.EventId == 2).Select(l => l.Message).ToList();
        Assert.All(Watcher().Where(l => l.EventId is 2 or 3), l => Assert.Equal(LogLevel.Error, l.Level));
        Assert.Contains(errors, e => e.StartsWith("Config error at apps[0].skipPaths[0]: must start with ^",
            StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Config error at apps[0].skipPaths[1]: not a valid regular",
            StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Config error at apps[0].clientId:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Config error at apps[3].mode:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("Config error at session.lifetime:", StringComparison.Ordinal));
        Assert.Equal(5, errors.Count);
        Assert.Equal(HttpStatusCode.Redirect, still.StatusCode);
    }

    [Fact]
    public async Task IdpUnreachable_PageLoad_Gets502AndWarning()
    {
        using var browser = new Browser(fixture.Idp, outpost.Port);
        var config = fixture.Config();
        config["revision"] = "idp-down";
        config["idp"]!["idpUrl"] = $"http://127.0.0.1:{Testing.LocalProcess.FreePort()}/";
        TestConfig.WriteAtomically(directory, config);
        await GateFixture.WaitForRevisionAsync(outpost, "idp-down");

        using var response = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/")));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains(outpost.Logs.Lines, l => l.EventId == 33 && l.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task BrokenThenFixed_AppliesTheFixedRevision()
    {
        var broken = fixture.Config();
        broken.Remove("idp");
        TestConfig.WriteAtomically(directory, broken);
        await WaitForAsync(() => Watcher().Any(l => l.EventId == 3));

        var fixedConfig = fixture.Config(ReloadApp());
        fixedConfig["revision"] = "fixed";
        TestConfig.WriteAtomically(directory, fixedConfig);
        await GateFixture.WaitForRevisionAsync(outpost, "fixed");

        Assert.Contains(Watcher(), l => l.EventId == 2 && l.Message.StartsWith("Config error at idp:",
            StringComparison.Ordinal));
        Assert.Contains(Watcher(), l => l.EventId == 1 && l.Level == LogLevel.Information &&
            l.Message.Contains("fixed", StringComparison.Ordinal) && l.Message.Contains("7 apps",
                StringComparison.Ordinal));
    }

    [Fact]
    public async Task MissingFile_WarnedOnceAndRevisionInForceKept()
    {
        using var browser = new Browser(fixture.Idp, outpost.Port);
        File.Delete(Path.Combine(directory, "config.json"));

        await WaitForAsync(() => Watcher().Any(l => l.EventId == 4));
        await Task.Delay(800);
        using var still = await browser.Http.SendAsync(Browser.Navigate(Browser.App("app1.test", "/")));

        Assert.Single(Watcher(), l => l.EventId == 4 && l.Level == LogLevel.Warning);
        Assert.Equal(HttpStatusCode.Redirect, still.StatusCode);
    }

    private List<LogLine> Watcher() =>
        outpost.Logs.Lines.Where(l => l.Category == typeof(Configuration.ConfigWatcher).FullName).ToList();

    private JsonObject ReloadApp() =>
        TestConfig.App("reload", "proxy", "reload.test", TestConfig.Users("alice"), fixture.Upstream.Url);

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the outpost did not react within 5 s");
            await Task.Delay(50);
        }
    }
}
