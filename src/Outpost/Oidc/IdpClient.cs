using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Oidc;

/// <summary>The tokens of a completed code exchange.</summary>
public sealed record TokenSet(string IdToken, string? AccessToken);

/// <summary>
/// The outpost's side of OpenID Connect against one IdP: discovery, the authorization request, the code
/// exchange and userinfo. Every call of its own goes to idpUrl; every URL it gives a browser points at
/// browserUrl.
/// </summary>
/// <remarks>
/// Note: built from Microsoft.IdentityModel's protocol pieces (discovery, JWKS, token validation)
/// rather than the OpenIdConnect authentication handler, because the handler's options are fixed per
/// scheme at start-up, while the outpost serves a changing set of clients chosen by Host and must also
/// complete sign-ins arriving through forward-auth subrequests.
/// </remarks>
public sealed partial class IdpClient(ILogger<IdpClient> logger) : IDisposable
{
    public const string Scopes = "openid profile email groups";
    private readonly SocketsHttpHandler network = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AllowAutoRedirect = false,
    };
    private readonly ConcurrentDictionary<IdpLocation, Channel> channels = new();

    public Task<OpenIdConnectConfiguration> DiscoverAsync(IdpLocation idp, CancellationToken token) =>
        ChannelFor(idp).Configuration.GetConfigurationAsync(token);

    /// <summary>Forces the next discovery to fetch again (after a signing key was not found).</summary>
    public void Refresh(IdpLocation idp) => ChannelFor(idp).Configuration.RequestRefresh();

    /// <summary>The authorization request (OpenID Connect Core 1.0, section 3.1.2.1) with PKCE S256.</summary>
    public async Task<Uri> AuthorizeUrlAsync(IdpLocation idp, OutpostApp app, FlowTicket flow, CancellationToken token)
    {
        var discovery = await DiscoverAsync(idp, token).ConfigureAwait(false);
        var endpoint = IdpUrls.ForBrowser(idp, discovery.AuthorizationEndpoint);
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = app.ClientId,
            ["redirect_uri"] = app.RedirectUri.AbsoluteUri,
            ["scope"] = Scopes,
            ["state"] = flow.State,
            ["nonce"] = flow.Nonce,
            ["code_challenge"] = Pkce.Challenge(flow.Verifier),
            ["code_challenge_method"] = "S256",
        };
        return new Uri(QueryHelpers.AddQueryString(endpoint.AbsoluteUri, query));
    }

    /// <summary>RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0, section 2), or null without one.</summary>
    public async Task<Uri?> EndSessionUrlAsync(
        IdpLocation idp, OutpostApp app, string? idToken, CancellationToken token)
    {
        var discovery = await DiscoverAsync(idp, token).ConfigureAwait(false);
        if (string.IsNullOrEmpty(discovery.EndSessionEndpoint))
        {
            return null;
        }
        var endpoint = IdpUrls.ForBrowser(idp, discovery.EndSessionEndpoint);
        var query = new Dictionary<string, string?>
        {
            ["client_id"] = app.ClientId,
            ["post_logout_redirect_uri"] = app.PostLogoutRedirectUri.AbsoluteUri,
        };
        if (idToken is not null)
        {
            query["id_token_hint"] = idToken;
        }
        return new Uri(QueryHelpers.AddQueryString(endpoint.AbsoluteUri, query));
    }

    /// <summary>The token request (RFC 6749, section 4.1.3) with client_secret_basic and the PKCE verifier.</summary>
    public async Task<TokenSet> RedeemAsync(
        IdpLocation idp, OutpostApp app, string code, string verifier, CancellationToken token)
    {
        var discovery = await DiscoverAsync(idp, token).ConfigureAwait(false);
        using var request = new HttpRequestMessage(HttpMethod.Post, discovery.TokenEndpoint);
        request.Headers.Authorization = BasicCredentials(app);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = app.RedirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        });
        using var response = await ChannelFor(idp).Http.SendAsync(request, token).ConfigureAwait(false);
        using var body = await ReadJsonAsync(response, token).ConfigureAwait(false);
        var root = body.RootElement;
        if (!response.IsSuccessStatusCode || !root.TryGetProperty("id_token", out var idToken))
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : $"HTTP {(int)response.StatusCode}";
            throw new SignInException("token_request_failed", $"the IdP refused the code: {error}");
        }
        var accessToken = root.TryGetProperty("access_token", out var at) ? at.GetString() : null;
        return new TokenSet(idToken.GetString()!, accessToken);
    }

    /// <summary>The userinfo response (OpenID Connect Core 1.0, section 5.3), or null when there is none.</summary>
    public async Task<JsonDocument?> UserInfoAsync(IdpLocation idp, string accessToken, CancellationToken token)
    {
        var discovery = await DiscoverAsync(idp, token).ConfigureAwait(false);
        if (string.IsNullOrEmpty(discovery.UserInfoEndpoint))
        {
            return null;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, discovery.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await ChannelFor(idp).Http.SendAsync(request, token).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            LogUserInfoFailed(logger, (int)response.StatusCode);
            return null;
        }
        return await ReadJsonAsync(response, token).ConfigureAwait(false);
    }

    public void Dispose()
    {
        foreach (var channel in channels.Values)
        {
            channel.Http.Dispose();
        }
        network.Dispose();
    }

    private static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, CancellationToken token)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            return await JsonDocument.ParseAsync(stream, cancellationToken: token).ConfigureAwait(false);
        }
        catch (JsonException)
        {
            throw new SignInException("idp_response_invalid", $"the IdP answered HTTP {(int)response.StatusCode} " +
                "without a JSON body");
        }
    }

    /// <summary>RFC 6749, section 2.3.1: id and secret are form-encoded before they are joined and encoded.</summary>
    private static AuthenticationHeaderValue BasicCredentials(OutpostApp app)
    {
        var pair = $"{Uri.EscapeDataString(app.ClientId)}:{Uri.EscapeDataString(app.ClientSecret)}";
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair)));
    }

    private Channel ChannelFor(IdpLocation idp) => channels.GetOrAdd(idp, location =>
    {
        var http = new HttpClient(new BackChannelHandler(location) { InnerHandler = network }, disposeHandler: false)
        {
            Timeout = TimeSpan.FromSeconds(15),
        };
        var address = new Uri(location.IdpUrl, ".well-known/openid-configuration").AbsoluteUri;
        var retriever = new HttpDocumentRetriever(http) { RequireHttps = false };
        var manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            address, new OpenIdConnectConfigurationRetriever(), retriever)
        {
            AutomaticRefreshInterval = TimeSpan.FromHours(1),
            RefreshInterval = TimeSpan.FromSeconds(30),
        };
        return new Channel(http, manager);
    });

    [LoggerMessage(20, LogLevel.Warning, "The IdP's userinfo endpoint answered HTTP {Status}; using ID token claims")]
    private static partial void LogUserInfoFailed(ILogger logger, int status);

    private sealed record Channel(HttpClient Http, ConfigurationManager<OpenIdConnectConfiguration> Configuration);
}

/// <summary>A sign-in that cannot complete: a fixed reason code for logs and a sentence for the person.</summary>
public sealed class SignInException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}

/// <summary>Proof Key for Code Exchange (RFC 7636, section 4.2): S256 challenge of the verifier.</summary>
public static class Pkce
{
    public static string Challenge(string verifier) => SessionCookies.Base64UrlEncode(
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(verifier)));
}
