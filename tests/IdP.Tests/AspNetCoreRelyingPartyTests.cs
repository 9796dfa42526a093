using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SsoOperator.IdP.Store;
using SsoOperator.Testing;

namespace SsoOperator.IdP.Tests;

/// <summary>
/// A .NET web app signing in with Microsoft.AspNetCore.Authentication.OpenIdConnect (its defaults: code flow,
/// PKCE, response_mode=form_post), on its own Kestrel port, through the IdP's real sign-in form.
/// </summary>
public sealed class AspNetCoreRelyingPartyTests(IdpHost idp) : IClassFixture<IdpHost>
{
    [Fact]
    public async Task OpenIdConnectHandler_SignInUserInfoAndSignOut_AllAccepted()
    {
        var user = Scenario.Unique("dotnet");
        var created = await idp.CreateUserAsync(user, Scenario.Password, "staff", "ops");
        var rp = new Uri($"http://127.0.0.1:{LocalProcess.FreePort()}/");
        var secret = "rp-secret-" + Guid.NewGuid().ToString("N");
        await RegisterAsync(rp, secret);
        await using var app = await StartRelyingPartyAsync(rp, secret);
        using var browser = new Browser();

        var login = await browser.GoAsync(new Uri(rp, "login"));
        var formPost = await browser.SignInAsync(login, user, Scenario.Password);
        var me = await browser.SubmitAsync(formPost);
        var claims = JsonDocument.Parse(me.Body).RootElement;
        var bye = await browser.GoAsync(new Uri(rp, "logout"));

        Assert.Equal(new Uri(rp, "me"), me.Url);
        Assert.Equal(created.Id, claims.GetProperty("sub")[0].GetString());
        Assert.Equal(user, claims.GetProperty("preferred_username")[0].GetString());
        Assert.Equal(["ops", "staff"], claims.GetProperty("groups").EnumerateArray().Select(g => g.GetString()));
        Assert.Equal(idp.Issuer.ToString(), claims.GetProperty("iss")[0].GetString());
        Assert.Equal(new Uri(rp, "bye"), bye.Url);
        Assert.Equal("signed out", bye.Body);
    }

    private Task RegisterAsync(Uri rp, string secret) => Task.WhenAll(
        idp.Store.UpsertClientAsync(new ClientDefinition("dotnet-rp", "Dotnet RP", true, secret,
            [new Uri(rp, "signin-oidc")], [new Uri(rp, "signout-callback-oidc")],
            ["openid", "profile", "email", "groups", "offline_access"], ["authorization_code", "refresh_token"],
            true, ["client_secret_post"], null, null, Scenario.Owner), default),
        idp.Store.UpsertApplicationAsync(new ApplicationDefinition("dotnet-rp", "Dotnet RP", "dotnet-rp", rp, null,
            ["staff"], [], false, Scenario.Owner with { Kind = "Application" }), default));

    private async Task<WebApplication> StartRelyingPartyAsync(Uri rp, string secret)
    {
        var builder = WebApplication.CreateBuilder(["--urls", rp.ToString().TrimEnd('/')]);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
            })
            .AddCookie(options => options.Cookie.Name = "rp.session")
            .AddOpenIdConnect(options =>
            {
                options.Authority = idp.Issuer.ToString();
                options.RequireHttpsMetadata = false;
                options.ClientId = "dotnet-rp";
                options.ClientSecret = secret;
                options.ResponseType = "code";
                options.MapInboundClaims = false;
                options.GetClaimsFromUserInfoEndpoint = true;
                options.SaveTokens = true;
                foreach (var scope in new[] { "profile", "email", "groups", "offline_access" })
                {
                    options.Scope.Add(scope);
                }
                options.CorrelationCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.NonceCookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/login", () => Results.Challenge(new AuthenticationProperties { RedirectUri = "/me" }));
        // The handler drops iss from the principal; each claim still records who issued it.
        app.MapGet("/me", (ClaimsPrincipal principal) => Results.Json(principal.Claims
            .Append(new Claim("iss", principal.FindFirst("sub")!.Issuer))
            .GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.Select(c => c.Value).Order().ToArray())));
        app.MapGet("/logout", () => Results.SignOut(new AuthenticationProperties { RedirectUri = "/bye" },
            [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme]));
        app.MapGet("/bye", () => "signed out");
        await app.StartAsync();
        return app;
    }
}
