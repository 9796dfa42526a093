using System.Net;
using System.Text;
using k8s;
using SsoOperator.IdP.Tests;
using SsoOperator.Operator.Reconcilers;
using SsoOperator.Operator.Tests.Support;
using SsoOperator.Testing;

namespace SsoOperator.Operator.Tests;

/// <summary>The main job: kubectl apply, and seconds later an app signs in through the IdP.</summary>
[Collection(Reconcilers.OperatorCollection.Name)]
public sealed class EndToEndTests
{
    private const string Password = LocalIdp.Password;
    private static readonly Uri OldRedirect = new("https://web.example.com/callback");
    private static readonly Uri NewRedirect = new("https://web.example.com/oidc/callback");

    [Fact]
    public async Task Apply_ThenEditRedirect_CodeFlowWithGeneratedSecretFollowsTheSpec()
    {
        var issuer = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        await using var env = await OperatorEnvironment.StartAsync("e2e", issuer: issuer.ToString());
        await using var idp = await LocalIdp.StartAsync(env, issuer);
        await LocalIdp.CreateUserAsync(idp, "ada", "users");

        await env.ApplyAsync(Manifests.GeneratedProvider("web", OldRedirect.ToString()) + "\n---\n" +
            Manifests.Application("web", "web"));
        await env.WaitReadyAsync(env.Providers, "web");
        await env.WaitReadyAsync(env.Applications, "web");
        var secret = await GeneratedSecretAsync(env, "web-oidc");

        var tokens = await SignInAsync(new OidcClient(issuer, "web", secret, OldRedirect));
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens["id_token"]);
        Assert.NotNull(tokens["access_token"]);

        await env.ApplyAsync(Manifests.GeneratedProvider("web", NewRedirect.ToString()));
        await TestCluster.EventuallyAsync(async () => await RefusedAsync(new OidcClient(issuer, "web", secret,
            OldRedirect)), "the IdP to refuse the old redirect URI");
        var again = await SignInAsync(new OidcClient(issuer, "web", secret, NewRedirect));
        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await new OidcClient(issuer, "web", "wrong-secret", NewRedirect).RedeemAsync("x")).Status);
    }

    private static async Task<TokenResponse> SignInAsync(OidcClient client)
    {
        using var browser = new Browser();
        var page = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        var done = page.Url.AbsolutePath == "/account/login"
            ? await browser.SignInAsync(page, "ada", Password, client.IsRedirect)
            : page;
        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status})");
        return await client.RedeemAsync(done.Query("code") ?? throw new InvalidOperationException("no code"));
    }

    private static async Task<bool> RefusedAsync(OidcClient client)
    {
        using var browser = new Browser();
        var page = await browser.GoAsync(client.AuthorizeUrl(), client.IsRedirect);
        return !client.IsRedirect(page.Url) && page.Status == HttpStatusCode.BadRequest;
    }

    private static async Task<string> GeneratedSecretAsync(OperatorEnvironment env, string name)
    {
        var secret = await env.Client.CoreV1.ReadNamespacedSecretAsync(name, env.Namespace);
        return Encoding.UTF8.GetString(secret.Data[ClientSecrets.ClientSecretKey]);
    }
}
