using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>What the token endpoint returned: the ID token, and the access token for userinfo.</summary>
public sealed record TokenSet(string IdToken, string? AccessToken);

/// <summary>
/// The IdP as a relying party of a source's issuer: discovery (fetched on first use and cached per issuer), the
/// authorization request, the code exchange and the ID token's validation.
/// </summary>
/// <remarks>
/// Note: built from Microsoft.IdentityModel's protocol pieces rather than the OpenIdConnect authentication
/// handler, because sources come and go with the database while a handler's options are fixed at start-up.
/// Nothing here runs until someone clicks a source's button: the sign-in page itself makes no network call.
/// </remarks>
public sealed partial class IssuerClient(ILogger<IssuerClient> logger) : IDisposable
{
    private readonly ConcurrentDictionary<string, ConfigurationManager<OpenIdConnectConfiguration>> discovery =
        new(StringComparer.Ordinal);

    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        UseCookies = false,
        AllowAutoRedirect = false,
    })
    {
        Timeout = TimeSpan.FromSeconds(15),
    };

    /// <summary>The issuer's discovery document, checked to belong to the source's issuer.</summary>
    public async Task<OpenIdConnectConfiguration> DiscoverAsync(SourceRecord source, CancellationToken ct)
    {
        OpenIdConnectConfiguration configuration;
        try
        {
            configuration = await ManagerFor(source.Issuer).GetConfigurationAsync(ct);
        }
        catch (InvalidOperationException e)
        {
            LogDiscoveryFailed(logger, source.Slug, source.Issuer, e.InnerException?.Message ?? e.Message);
            throw new FederationException("discovery-failed",
                $"{source.DisplayName} could not be reached. Try again in a minute.", e);
        }
        // OpenID Connect Discovery 1.0, section 4.3: the issuer the document names MUST be identical to the
        // one it was fetched for, or another issuer could speak for this one.
        if (!string.Equals(configuration.Issuer, source.Issuer, StringComparison.Ordinal))
        {
            LogIssuerMismatch(logger, source.Slug, source.Issuer, configuration.Issuer ?? "(none)");
            throw new FederationException("discovery-issuer-mismatch",
                $"{source.DisplayName} is not set up correctly here (its discovery names another issuer).");
        }
        return configuration;
    }

    /// <summary>
    /// The authorization request (OpenID Connect Core 1.0, section 3.1.2.1) with state, nonce and PKCE S256
    /// (RFC 7636, section 4.3), and Google's hd hint when the source is limited to one hosted domain.
    /// </summary>
    public static Uri AuthorizeUrl(
        SourceRecord source, OpenIdConnectConfiguration configuration, Uri redirectUri, FederationFlow flow)
    {
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = source.ClientId,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["scope"] = string.Join(' ', ScopesOf(source)),
            ["state"] = flow.State,
            ["nonce"] = flow.Nonce,
            ["code_challenge"] = Challenge(flow.Verifier),
            ["code_challenge_method"] = "S256",
        };
        if (!string.IsNullOrEmpty(source.HostedDomain))
        {
            query["hd"] = source.HostedDomain;
        }
        return new Uri(QueryHelpers.AddQueryString(configuration.AuthorizationEndpoint, query));
    }

    /// <summary>openid first and always (OpenID Connect Core 1.0, section 3.1.2.1), then the source's scopes.</summary>
    public static IReadOnlyList<string> ScopesOf(SourceRecord source) =>
        ["openid", .. source.Scopes.Where(s => s != "openid").Distinct(StringComparer.Ordinal)];

    public static string Challenge(string verifier) =>
        FederationFlow.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>
    /// client_secret_basic unless the issuer lists only client_secret_post. OpenID Connect Discovery 1.0,
    /// section 3: without token_endpoint_auth_methods_supported, the default is client_secret_basic.
    /// </summary>
    public static string TokenEndpointAuthMethod(ICollection<string> supported) =>
        supported.Count > 0 && !supported.Contains("client_secret_basic") && supported.Contains("client_secret_post")
            ? "client_secret_post"
            : "client_secret_basic";

    /// <summary>Redeems the code at the token endpoint (RFC 6749, section 4.1.3).</summary>
    public async Task<TokenSet> RedeemAsync(SourceRecord source, OpenIdConnectConfiguration configuration,
        string code, string verifier, Uri redirectUri, CancellationToken ct)
    {
        using var request = TokenRequest(source, configuration, code, verifier, redirectUri);
        try
        {
            using var response = await http.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            return TokensOf(source, response, body);
        }
        catch (HttpRequestException e)
        {
            LogTokenEndpointFailed(logger, source.Slug, e.Message);
            throw new FederationException("token-endpoint-unreachable",
                $"{source.DisplayName} could not be reached to finish the sign-in. Try again.", e);
        }
        catch (TaskCanceledException e) when (!ct.IsCancellationRequested)
        {
            LogTokenEndpointFailed(logger, source.Slug, "timed out");
            throw new FederationException("token-endpoint-unreachable",
                $"{source.DisplayName} did not answer in time to finish the sign-in. Try again.", e);
        }
    }

    private static HttpRequestMessage TokenRequest(SourceRecord source, OpenIdConnectConfiguration configuration,
        string code, string verifier, Uri redirectUri)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = redirectUri.AbsoluteUri,
            ["code_verifier"] = verifier,
        };
        var request = new HttpRequestMessage(HttpMethod.Post, configuration.TokenEndpoint);
        if (TokenEndpointAuthMethod(configuration.TokenEndpointAuthMethodsSupported) == "client_secret_post")
        {
            form["client_id"] = source.ClientId;
            form["client_secret"] = source.ClientSecret;
        }
        else
        {
            // RFC 6749, section 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
            var pair = $"{Uri.EscapeDataString(source.ClientId)}:{Uri.EscapeDataString(source.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
        request.Content = new FormUrlEncodedContent(form);
        return request;
    }

    private TokenSet TokensOf(SourceRecord source, HttpResponseMessage response, string body)
    {
        JsonElement root;
        try
        {
            root = JsonDocument.Parse(body).RootElement;
        }
        catch (JsonException)
        {
            root = default;
        }
        if (response.IsSuccessStatusCode && root.ValueKind == JsonValueKind.Object
            && root.TryGetProperty("id_token", out var idToken) && idToken.ValueKind == JsonValueKind.String)
        {
            var accessToken = root.TryGetProperty("access_token", out var at) && at.ValueKind == JsonValueKind.String
                ? at.GetString() : null;
            return new TokenSet(idToken.GetString()!, accessToken);
        }
        // RFC 6749, section 5.2: the error code is data; the description is the issuer's and not shown.
        var error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e)
            ? Shorten(e.ToString()) : $"HTTP {(int)response.StatusCode}";
        LogTokenRequestRefused(logger, source.Slug, error);
        throw new FederationException("token-request-refused",
            $"{source.DisplayName} refused to finish the sign-in ({error}). Try again.");
    }

    /// <summary>
    /// For an issuer whose ID tokens carry no email (they may keep profile claims for userinfo): the userinfo
    /// response (OpenID Connect Core 1.0, section 5.3) fills the gaps. Section 5.3.4: its sub MUST exactly
    /// match the ID token's. An issuer without userinfo, or one that fails, leaves the identity as it was.
    /// </summary>
    public async Task<ExternalIdentity> CompleteFromUserInfoAsync(SourceRecord source,
        OpenIdConnectConfiguration configuration, ExternalIdentity identity, string accessToken, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(configuration.UserInfoEndpoint))
        {
            return identity;
        }
        using var request = new HttpRequestMessage(HttpMethod.Get, configuration.UserInfoEndpoint);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        JsonElement userInfo;
        try
        {
            using var response = await http.SendAsync(request, ct);
            response.EnsureSuccessStatusCode();
            userInfo = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.Clone();
        }
        catch (Exception e) when (e is HttpRequestException or JsonException
            || (e is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // Note: a signed (JWT) userinfo response lands here too; the ID token's claims still stand.
            LogUserInfoFailed(logger, source.Slug, e.GetType().Name);
            return identity;
        }
        if (!userInfo.TryGetProperty("sub", out var sub) || sub.ValueKind != JsonValueKind.String
            || sub.GetString() != identity.Subject)
        {
            LogUserInfoSubjectMismatch(logger, source.Slug);
            throw new FederationException("userinfo-subject-mismatch",
                $"{source.DisplayName} described another account than the one that signed in. Try again.");
        }
        return identity.WithUserInfo(userInfo);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64];

    public void Dispose() => http.Dispose();

    internal ConfigurationManager<OpenIdConnectConfiguration> ManagerFor(string issuer) =>
        discovery.GetOrAdd(issuer, key =>
        {
            // OpenID Connect Discovery 1.0, section 4: a terminating "/" is removed before the well-known path.
            var address = key.TrimEnd('/') + "/.well-known/openid-configuration";
            var retriever = new HttpDocumentRetriever(http)
            {
                RequireHttps = key.StartsWith("https:", StringComparison.OrdinalIgnoreCase),
            };
            return new ConfigurationManager<OpenIdConnectConfiguration>(
                address, new OpenIdConnectConfigurationRetriever(), retriever)
            {
                AutomaticRefreshInterval = TimeSpan.FromHours(12),
                RefreshInterval = TimeSpan.FromSeconds(30),
            };
        });

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning,
        Message = "Discovery of source {Slug} at {Issuer} failed: {Error}")]
    private static partial void LogDiscoveryFailed(ILogger logger, string slug, string issuer, string error);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error,
        Message = "Source {Slug}: discovery of {Issuer} names the issuer {Named}; sign-ins through it are refused")]
    private static partial void LogIssuerMismatch(ILogger logger, string slug, string issuer, string named);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning,
        Message = "Source {Slug}: the token endpoint could not be reached: {Error}")]
    private static partial void LogTokenEndpointFailed(ILogger logger, string slug, string error);

    [LoggerMessage(EventId = 404, Level = LogLevel.Warning,
        Message = "Source {Slug}: userinfo failed ({Error}); using the ID token's claims alone")]
    private static partial void LogUserInfoFailed(ILogger logger, string slug, string error);

    [LoggerMessage(EventId = 405, Level = LogLevel.Warning,
        Message = "Source {Slug}: the userinfo response names another sub than the ID token; sign-in refused")]
    private static partial void LogUserInfoSubjectMismatch(ILogger logger, string slug);

    [LoggerMessage(EventId = 403, Level = LogLevel.Information,
        Message = "Source {Slug}: the token endpoint refused the code: {Error}")]
    private static partial void LogTokenRequestRefused(ILogger logger, string slug, string error);
}
