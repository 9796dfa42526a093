using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Tests;

/// <summary>Builds the clients, applications and users one test needs, under unique names.</summary>
public static class Scenario
{
    public const string Password = "Correct-Horse-9";
    public static readonly ResourceOwner Owner = new("Provider", "tests", "scenario");

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public static async Task<OidcClient> ClientAsync(IdpHost idp, bool confidential = true, string? group = "staff",
        IReadOnlyList<string>? authMethods = null, IReadOnlyList<string>? grants = null, string? user = null,
        bool requirePkce = true)
    {
        var clientId = Unique("client");
        var redirect = new Uri($"https://{clientId}.example.com/callback");
        var secret = confidential ? "secret-" + Guid.NewGuid().ToString("N") : null;
        var result = await idp.Store.UpsertClientAsync(new ClientDefinition(
            clientId, clientId, confidential, secret, [redirect], [new Uri($"https://{clientId}.example.com/bye")],
            ["openid", "profile", "email", "groups", "offline_access"],
            grants ?? ["authorization_code", "refresh_token"], requirePkce,
            authMethods ?? ["client_secret_basic", "client_secret_post"], null, null, Owner with { Name = clientId }),
            default);
        Assert.Equal(UpsertOutcome.Created, result.Outcome);
        await idp.Store.UpsertApplicationAsync(new ApplicationDefinition(clientId, $"App {clientId}", clientId, null,
            null, group is null ? [] : [group], user is null ? [] : [user], false,
            Owner with { Kind = "Application", Name = clientId }), default);
        return new OidcClient(idp.Issuer, clientId, secret, redirect);
    }

    /// <summary>Signs in through the real login form and returns the authorization code.</summary>
    public static async Task<string> CodeAsync(Browser browser, OidcClient client, string user, Uri? url = null)
    {
        var login = await browser.GoAsync(url ?? client.AuthorizeUrl(), client.IsRedirect);
        var done = login.Url.AbsolutePath == "/account/login"
            ? await browser.SignInAsync(login, user, Password, client.IsRedirect)
            : login;
        Assert.True(client.IsRedirect(done.Url), $"ended at {done.Url} ({done.Status}): {done.Body}");
        Assert.Equal("st-123", done.Query("state"));
        return done.Query("code") ?? throw new InvalidOperationException("no code");
    }

    /// <summary>Verifies a JWT's signature against the IdP's published JWKS and returns its claims.</summary>
    public static async Task<JsonWebToken> VerifyAsync(IdpHost idp, string jwt, string? audience = null)
    {
        using var http = new HttpClient();
        var keys = new JsonWebKeySet(await http.GetStringAsync(new Uri(idp.Issuer, ".well-known/jwks")));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = idp.Issuer.ToString(),
            ValidateAudience = audience is not null,
            ValidAudience = audience,
            IssuerSigningKeys = keys.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        return (JsonWebToken)result.SecurityToken;
    }

    public static JsonElement Payload(JsonWebToken token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement;
}
