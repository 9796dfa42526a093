using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace SsoOperator.IdP.Tests;

/// <summary>A hand-driven OAuth2 client for protocol tests: builds requests byte by byte, nothing hidden.</summary>
public sealed class OidcClient(Uri issuer, string clientId, string? secret, Uri redirectUri)
{
    public string ClientId => clientId;

    public string? Secret => secret;

    public Uri RedirectUri => redirectUri;

    public string Verifier { get; } = Base64Url(RandomNumberGenerator.GetBytes(32));

    public string Challenge => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier)));

    public Uri AuthorizeUrl(string scope = "openid profile email groups offline_access", bool pkce = true,
        Uri? redirect = null, string? responseMode = null, string? prompt = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = clientId, ["response_type"] = "code", ["scope"] = scope,
            ["redirect_uri"] = (redirect ?? redirectUri).ToString(), ["state"] = "st-123", ["nonce"] = "n-456",
        };
        if (pkce)
        {
            query["code_challenge"] = Challenge;
            query["code_challenge_method"] = "S256";
        }
        if (responseMode is not null)
        {
            query["response_mode"] = responseMode;
        }
        if (prompt is not null)
        {
            query["prompt"] = prompt;
        }
        return new Uri(QueryHelpers.AddQueryString(new Uri(issuer, "connect/authorize").ToString(), query));
    }

    public bool IsRedirect(Uri url) => url.GetLeftPart(UriPartial.Path) == redirectUri.ToString();

    public Task<TokenResponse> RedeemAsync(string code, string? verifier = null) => PostAsync("connect/token", new()
    {
        ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri.ToString(),
        ["code_verifier"] = verifier ?? Verifier,
    });

    public Task<TokenResponse> RefreshAsync(string refreshToken) => PostAsync("connect/token", new()
    {
        ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
    });

    /// <summary>Posts to an endpoint, authenticating with client_secret_basic (or as a public client).</summary>
    public async Task<TokenResponse> PostAsync(string path, Dictionary<string, string> form, string? method = "basic")
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(issuer, path));
        if (secret is not null && method is "basic" or "both")
        {
            var credentials = $"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        }
        if (secret is null || method is "post" or "both")
        {
            form["client_id"] = clientId;
        }
        if (secret is not null && method is "post" or "both")
        {
            form["client_secret"] = secret;
        }
        request.Content = new FormUrlEncodedContent(form);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new TokenResponse(response.StatusCode, JsonDocument.Parse(body.Length == 0 ? "{}" : body).RootElement);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes)
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

public sealed record TokenResponse(HttpStatusCode Status, JsonElement Json)
{
    public string? this[string name] =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) && value.ValueKind ==
            JsonValueKind.String ? value.GetString() : null;
}
