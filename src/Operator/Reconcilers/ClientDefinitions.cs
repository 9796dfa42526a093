using SsoOperator.Crds;
using SsoOperator.IdP.Store;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>Translates a Provider's spec (oauth2 or proxy) into the client the IdP store registers.</summary>
public static class ClientDefinitions
{
    /// <summary>The scopes an outpost asks for (docs/outpost.md, "What the IdP must know").</summary>
    public static IReadOnlyList<string> ProxyScopes { get; } = ["openid", "profile", "email", "groups"];

    public static ClientDefinition From(Provider provider, string? secret) =>
        provider.Spec.Proxy is { } proxy ? FromProxy(provider, proxy, secret!) : FromOAuth2(provider, secret);

    /// <summary>
    /// An outpost's client: confidential, code flow with PKCE, client_secret_basic, and the outpost's own
    /// callback and signed-out pages under the app's external host.
    /// </summary>
    private static ClientDefinition FromProxy(Provider provider, ProxyProviderSpec proxy, string secret)
    {
        var host = proxy.ExternalHost.TrimEnd('/');
        return new ClientDefinition(
            ClientId: provider.EffectiveClientId,
            DisplayName: provider.Metadata.Name,
            IsConfidential: true,
            ClientSecret: secret,
            RedirectUris: [new Uri($"{host}/outpost/callback")],
            PostLogoutRedirectUris: [new Uri($"{host}/outpost/signed_out")],
            Scopes: ProxyScopes,
            GrantTypes: [Name(GrantType.AuthorizationCode)],
            RequirePkce: true,
            TokenEndpointAuthMethods: [Name(TokenEndpointAuthMethod.ClientSecretBasic)],
            AccessTokenLifetime: null,
            RefreshTokenLifetime: null,
            Owner: ProviderReconciler.Owner(provider));
    }

    private static ClientDefinition FromOAuth2(Provider provider, string? secret)
    {
        var spec = provider.Spec.OAuth2!;
        return new ClientDefinition(
            ClientId: provider.EffectiveClientId,
            DisplayName: provider.Metadata.Name,
            IsConfidential: spec.ClientType == ClientType.Confidential,
            ClientSecret: secret,
            RedirectUris: [.. spec.RedirectUris.Select(u => new Uri(u, UriKind.Absolute))],
            PostLogoutRedirectUris: [.. spec.PostLogoutRedirectUris.Select(u => new Uri(u, UriKind.Absolute))],
            Scopes: [.. spec.Scopes],
            GrantTypes: [.. spec.GrantTypes.Select(Name)],
            RequirePkce: spec.Pkce == PkceMode.Required,
            TokenEndpointAuthMethods: [.. spec.EffectiveTokenEndpointAuthMethods.Select(Name)],
            AccessTokenLifetime: Lifetime.Parse(spec.AccessTokenLifetime),
            RefreshTokenLifetime: Lifetime.Parse(spec.RefreshTokenLifetime),
            Owner: ProviderReconciler.Owner(provider));
    }

    // The protocol names (RFC 6749 section 4, RFC 8628, RFC 7591 section 2).
    public static string Name(GrantType grant) => grant switch
    {
        GrantType.AuthorizationCode => "authorization_code",
        GrantType.RefreshToken => "refresh_token",
        GrantType.ClientCredentials => "client_credentials",
        GrantType.DeviceCode => "urn:ietf:params:oauth:grant-type:device_code",
        _ => throw new ArgumentOutOfRangeException(nameof(grant), grant, null),
    };

    public static string Name(TokenEndpointAuthMethod method) => method switch
    {
        TokenEndpointAuthMethod.ClientSecretBasic => "client_secret_basic",
        TokenEndpointAuthMethod.ClientSecretPost => "client_secret_post",
        TokenEndpointAuthMethod.None => "none",
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, null),
    };
}
