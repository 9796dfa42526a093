using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using SsoOperator.Operator.Tests.Support;
using SsoOperator.Outpost;
using SsoOperator.Testing;
using static SsoOperator.Operator.Tests.Reconcilers.OutpostFixtures;

namespace SsoOperator.Operator.Tests;

/// <summary>
/// The whole path: resources applied, the operator writes the outpost's config, a real outpost runs
/// from that Secret (written to a file, as the kubelet would), and headless Chromium signs in through it
/// against the real IdP to an upstream that echoes the headers it receives.
/// </summary>
[Collection(Reconcilers.OperatorCollection.Name)]
public sealed class OutpostEndToEndTests
{
    private const string Password = LocalIdp.Password;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SignIn_ThroughOutpost_UpstreamSeesIdentityAndNewAppServedWithoutRestart()
    {
        var issuer = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        await using var env = await OperatorEnvironment.StartAsync("oe2e", issuer: issuer.ToString());
        var outposts = await OutpostsAsync(env);
        await using var idp = await LocalIdp.StartAsync(env, issuer);
        await LocalIdp.CreateUserAsync(idp, "ada", "users");
        await using var echo = await EchoAsync();
        var port = LocalProcess.FreePort();
        var app = $"http://127.0.0.1:{port}";

        // The operator turns the resources into the outpost's config Secret.
        await env.ApplyAsync(ProxyProvider("echo", app, echo.Urls.Single()) + "\n---\n" +
            ProxyApplication("echo", "echo") + "\n---\n" + OutpostManifest("local", issuer.ToString(), false, "echo"));
        await WaitOutpostReadyAsync(env, outposts);
        var configPath = Path.Combine(Path.GetTempPath(), $"outpost-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(configPath, await ConfigJsonAsync(env, "local"));
        try
        {
            await using var outpost = await StartOutpostAsync(port, configPath);
            await SignInThroughOutpostAsync(app, issuer);
            await AddApplicationAsync(env, echo.Urls.Single(), port, issuer, configPath, outpost);
        }
        finally
        {
            File.Delete(configPath);
        }
    }

    private static async Task SignInThroughOutpostAsync(string app, Uri issuer)
    {
        // Chromium: redirected to the IdP, password sign-in, back to the app with identity headers.
        await using var chromium = await HeadlessBrowser.LaunchAsync();
        var context = await chromium.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{app}/hello");
        Assert.StartsWith($"{issuer}account/login", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", "ada");
        await page.FillAsync("#password", Password);
        await page.ClickAsync("button[type=submit]");
        await WaitForAsync(page, $"{app}/hello");
        var seen = await EchoedHeadersAsync(page);
        Assert.Equal("ada", seen["x-forwarded-preferred-username"]);
        Assert.Equal("ada@example.com", seen["x-forwarded-email"]);
        Assert.Contains("users", seen["x-forwarded-groups"].Split(','));
        var subject = seen["x-forwarded-user"];
        Assert.False(string.IsNullOrEmpty(subject));

        // A client's own X-Forwarded-User never reaches the app, signed in or on a skipped path.
        await context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-User"] = "mallory" });
        await page.GotoAsync($"{app}/forged");
        Assert.Equal(subject, (await EchoedHeadersAsync(page))["x-forwarded-user"]);
        await page.GotoAsync($"{app}/health");
        Assert.False((await EchoedHeadersAsync(page)).ContainsKey("x-forwarded-user"));
    }

    /// <summary>
    /// A second app (on host localhost) joins the Outpost: within five seconds of the edit the same outpost
    /// process sends that host's visitors to sign in with the new client, instead of answering 404.
    /// </summary>
    private static async Task AddApplicationAsync(OperatorEnvironment env, string upstream, int port, Uri issuer,
        string configPath, WebApplication outpost)
    {
        var second = $"http://localhost:{port}";
        await env.ApplyAsync(ProxyProvider("second", second, upstream) + "\n---\n" +
            ProxyApplication("second", "second"));
        await env.WaitReadyAsync(env.Applications, "second");
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false });
        Assert.Equal(HttpStatusCode.NotFound, (await PageLoadAsync(http, port, second)).StatusCode);

        var clock = Stopwatch.StartNew();
        await env.ApplyAsync(OutpostManifest("local", issuer.ToString(), false, "echo", "second"));
        var written = "";
        await TestCluster.EventuallyAsync(async () =>
        {
            // What the kubelet does with a Secret volume: the file follows the Secret.
            var json = await ConfigJsonAsync(env, "local");
            if (json != written)
            {
                await File.WriteAllTextAsync(configPath, json);
                written = json;
            }
            using var response = await PageLoadAsync(http, port, second);
            return response.StatusCode == HttpStatusCode.Redirect
                && response.Headers.Location!.Query.Contains("client_id=second", StringComparison.Ordinal);
        }, "the outpost to serve the new application", TimeSpan.FromSeconds(10));
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.StartsWith(issuer.ToString(), (await PageLoadAsync(http, port, second)).Headers.Location!.ToString(),
            StringComparison.Ordinal);
        Assert.True(outpost.Lifetime.ApplicationStarted.IsCancellationRequested); // still the same process
        Assert.False(outpost.Lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private static async Task WaitForAsync(IPage page, string url)
    {
        try
        {
            await page.WaitForURLAsync(url, new() { Timeout = (float)Timeout.TotalMilliseconds });
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"waiting for {url}, the page is {page.Url}: {await page.ContentAsync()}", e);
        }
    }

    private static Task<HttpResponseMessage> PageLoadAsync(HttpClient http, int port, string host)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/");
        request.Headers.Host = new Uri(host).Authority;
        request.Headers.Accept.ParseAdd("text/html");
        request.Headers.Add("Sec-Fetch-Mode", "navigate");
        return http.SendAsync(request);
    }

    private static async Task WaitOutpostReadyAsync(OperatorEnvironment env,
        Operator.Runtime.IResourceApi<Crds.Outpost> outposts) =>
        await TestCluster.EventuallyAsync(async () => (await ReadyAsync(outposts, env, "local"))?.Status ==
            Crds.ConditionStatus.True, "the Outpost to be Ready", Timeout);

    /// <summary>The echo upstream's answer: the request headers it received, names lower-cased.</summary>
    private static async Task<Dictionary<string, string>> EchoedHeadersAsync(IPage page)
    {
        var text = await page.InnerTextAsync("body");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(text)!;
    }

    private static async Task<WebApplication> EchoAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{LocalProcess.FreePort()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Run(context => context.Response.WriteAsJsonAsync(context.Request.Headers.ToDictionary(
            h => h.Key.ToLowerInvariant(), h => h.Value.ToString())));
        await app.StartAsync();
        return app;
    }

    private static async Task<WebApplication> StartOutpostAsync(int port, string configPath)
    {
        var app = OutpostHost.Build(
            ["--urls", $"http://127.0.0.1:{port}", "--config", configPath, "--Outpost:PollInterval=00:00:00.25"],
            builder => builder.Logging.SetMinimumLevel(LogLevel.Warning));
        OutpostHost.LoadConfig(app);
        await app.StartAsync();
        return app;
    }
}
