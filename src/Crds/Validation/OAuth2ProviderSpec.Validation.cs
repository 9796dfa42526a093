using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class OAuth2ProviderSpec
{
    /// <summary>Access and ID tokens longer than a day defeat revocation; refresh tokens renew them instead.</summary>
    public static readonly TimeSpan MaxAccessTokenLifetime = TimeSpan.FromDays(1);

    public static readonly TimeSpan MaxRefreshTokenLifetime = TimeSpan.FromDays(365);

    internal void AddErrors(string path, List<FieldError> errors)
    {
        AddSecretErrors(path, errors);
        AddClientTypeErrors(path, errors);
        if (GrantTypes.Contains(GrantType.AuthorizationCode) && RedirectUris.Count == 0)
        {
            errors.Add(new($"{path}.redirectUris", "authorization_code needs at least one redirect URI; add one"));
        }
        Rules.RedirectUris($"{path}.redirectUris", RedirectUris, errors);
        Rules.RedirectUris($"{path}.postLogoutRedirectUris", PostLogoutRedirectUris, errors);
        Rules.Lifetime($"{path}.accessTokenLifetime", AccessTokenLifetime, MaxAccessTokenLifetime, errors);
        Rules.Lifetime($"{path}.refreshTokenLifetime", RefreshTokenLifetime, MaxRefreshTokenLifetime, errors);
    }

    private void AddSecretErrors(string path, List<FieldError> errors)
    {
        var secretPath = $"{path}.clientSecret";
        if (ClientType == ClientType.Confidential && ClientSecret is null)
        {
            errors.Add(new(secretPath, "a confidential client needs a secret; set secretRef or generate, " +
                "or set clientType: public"));
        }
        if (ClientType == ClientType.Public && ClientSecret is not null)
        {
            errors.Add(new(secretPath, "a public client cannot keep a secret; remove clientSecret " +
                "or set clientType: confidential"));
        }
        if (ClientSecret is { } secret && (secret.SecretRef is null) == (secret.Generate is null))
        {
            errors.Add(new(secretPath, "set exactly one of secretRef or generate"));
        }
    }

    private void AddClientTypeErrors(string path, List<FieldError> errors)
    {
        var isPublic = ClientType == ClientType.Public;
        if (isPublic && Pkce == PkceMode.Optional)
        {
            errors.Add(new($"{path}.pkce", "a public client must use PKCE; set pkce: required"));
        }
        for (var i = 0; i < TokenEndpointAuthMethods.Count; i++)
        {
            var usesSecret = TokenEndpointAuthMethods[i] != TokenEndpointAuthMethod.None;
            if (isPublic == usesSecret)
            {
                errors.Add(new($"{path}.tokenEndpointAuthMethods[{i}]", isPublic
                    ? "a public client has no secret; use none"
                    : "a confidential client must authenticate; use client_secret_basic or client_secret_post"));
            }
        }
        var credentials = GrantTypes.IndexOf(GrantType.ClientCredentials);
        if (isPublic && credentials >= 0)
        {
            errors.Add(new($"{path}.grantTypes[{credentials}]",
                "client_credentials needs a confidential client; remove it or set clientType: confidential"));
        }
    }
}
