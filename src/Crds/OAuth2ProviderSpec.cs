using System.Text.Json.Serialization;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// An OAuth2/OpenID Connect client. A confidential client needs clientSecret. The operator checks that a
/// public client has no clientSecret, uses PKCE and token endpoint auth method none, that confidential
/// clients do not use none, and that the lifetimes are in range.
/// </summary>
[RequiredWhen("clientSecret", "clientType", "confidential")]
public sealed partial class OAuth2ProviderSpec
{
    /// <summary>
    /// confidential for a server-side application that can keep a secret; public for a browser or mobile app.
    /// </summary>
    [JsonPropertyName("clientType")]
    [Default]
    public ClientType ClientType { get; set; } = ClientType.Confidential;

    /// <summary>
    /// The OAuth client id. Defaults to the resource's name; must be unique across the cluster.
    /// </summary>
    [JsonPropertyName("clientId")]
    [Pattern(Patterns.ClientId)]
    [MaxLength(100)]
    public string? ClientId { get; set; }

    /// <summary>Where the client secret comes from; confidential clients only.</summary>
    [JsonPropertyName("clientSecret")]
    public ClientSecretSource? ClientSecret { get; set; }

    /// <summary>
    /// The redirect URIs the client may use, compared exactly (no wildcards); absolute, without a fragment.
    /// Required when grantTypes includes authorization_code (checked by the operator).
    /// </summary>
    [JsonPropertyName("redirectUris")]
    [Set]
    [MaxItems(32)]
    [Pattern(Patterns.RedirectUri)]
    [MaxLength(2048)]
    public IList<string> RedirectUris { get; set; } = [];

    /// <summary>The URIs the client may return users to after sign-out, compared exactly.</summary>
    [JsonPropertyName("postLogoutRedirectUris")]
    [Set]
    [MaxItems(32)]
    [Pattern(Patterns.RedirectUri)]
    [MaxLength(2048)]
    public IList<string> PostLogoutRedirectUris { get; set; } = [];

    /// <summary>The scopes the client may request. offline_access allows refresh tokens.</summary>
    [JsonPropertyName("scopes")]
    [Default]
    [Set]
    [MaxItems(32)]
    [Pattern(Patterns.Scope)]
    [MaxLength(100)]
    public IList<string> Scopes { get; set; } = ["openid", "profile", "email", "groups", "offline_access"];

    /// <summary>The OAuth grant types the client may use.</summary>
    [JsonPropertyName("grantTypes")]
    [Default]
    [Set]
    [MinItems(1)]
    public IList<GrantType> GrantTypes { get; set; } = [GrantType.AuthorizationCode, GrantType.RefreshToken];

    /// <summary>
    /// Whether authorization requests must carry a PKCE code challenge (S256). Public clients must keep
    /// required (checked by the operator).
    /// </summary>
    [JsonPropertyName("pkce")]
    [Default]
    public PkceMode Pkce { get; set; } = PkceMode.Required;

    /// <summary>
    /// How the client authenticates at the token endpoint. Defaults to client_secret_basic and
    /// client_secret_post for confidential clients and to none for public clients.
    /// </summary>
    [JsonPropertyName("tokenEndpointAuthMethods")]
    [Set]
    public IList<TokenEndpointAuthMethod> TokenEndpointAuthMethods { get; set; } = [];

    /// <summary>How long access and ID tokens live: a number and a unit, s, m, h or d (at most 1d).</summary>
    [JsonPropertyName("accessTokenLifetime")]
    [Default]
    [Pattern(Patterns.Lifetime)]
    [MaxLength(8)]
    public string AccessTokenLifetime { get; set; } = "10m";

    /// <summary>How long refresh tokens live: a number and a unit, s, m, h or d (at most 365d).</summary>
    [JsonPropertyName("refreshTokenLifetime")]
    [Default]
    [Pattern(Patterns.Lifetime)]
    [MaxLength(8)]
    public string RefreshTokenLifetime { get; set; } = "30d";

    /// <summary>The token endpoint auth methods in effect: the list if set, else the client type's default.</summary>
    [JsonIgnore]
    public IReadOnlyList<TokenEndpointAuthMethod> EffectiveTokenEndpointAuthMethods =>
        TokenEndpointAuthMethods.Count > 0 ? [.. TokenEndpointAuthMethods]
        : ClientType == ClientType.Public ? [TokenEndpointAuthMethod.None]
        : [TokenEndpointAuthMethod.ClientSecretBasic, TokenEndpointAuthMethod.ClientSecretPost];
}

/// <summary>Where a confidential client's secret comes from. Exactly one of secretRef or generate.</summary>
[ExactlyOneOf("secretRef", "generate")]
public sealed class ClientSecretSource
{
    /// <summary>A key of an existing Secret in the same namespace, for example a SOPS-encrypted one from Git.</summary>
    [JsonPropertyName("secretRef")]
    public SecretKeyReference? SecretRef { get; set; }

    /// <summary>
    /// Let the operator generate a secret once and write it, with clientId and issuer, into a Secret it owns.
    /// </summary>
    [JsonPropertyName("generate")]
    public GeneratedSecret? Generate { get; set; }
}

/// <summary>A key of a Secret in the same namespace.</summary>
public sealed class SecretKeyReference
{
    /// <summary>The Secret's name.</summary>
    [JsonPropertyName("name")]
    [Required]
    [Pattern(Patterns.ObjectName)]
    [MaxLength(253)]
    public string Name { get; set; } = "";

    /// <summary>The key within the Secret's data that holds the client secret.</summary>
    [JsonPropertyName("key")]
    [Required]
    [Pattern(Patterns.SecretKey)]
    [MaxLength(253)]
    public string Key { get; set; } = "";
}

/// <summary>A Secret the operator creates and owns, holding clientId, clientSecret and issuer.</summary>
public sealed class GeneratedSecret
{
    /// <summary>The name of the Secret to create in the same namespace; kept across restarts.</summary>
    [JsonPropertyName("secretName")]
    [Required]
    [Pattern(Patterns.ObjectName)]
    [MaxLength(253)]
    public string SecretName { get; set; } = "";
}

/// <summary>Whether the client can keep a secret.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ClientType>))]
public enum ClientType
{
    [JsonStringEnumMemberName("confidential")]
    Confidential,

    [JsonStringEnumMemberName("public")]
    Public,
}

/// <summary>An OAuth grant type.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<GrantType>))]
public enum GrantType
{
    [JsonStringEnumMemberName("authorization_code")]
    AuthorizationCode,

    [JsonStringEnumMemberName("refresh_token")]
    RefreshToken,

    [JsonStringEnumMemberName("client_credentials")]
    ClientCredentials,

    [JsonStringEnumMemberName("device_code")]
    DeviceCode,
}

/// <summary>Whether PKCE is required.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<PkceMode>))]
public enum PkceMode
{
    [JsonStringEnumMemberName("required")]
    Required,

    [JsonStringEnumMemberName("optional")]
    Optional,
}

/// <summary>A client authentication method at the token endpoint (OpenID Connect Core, section 9).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TokenEndpointAuthMethod>))]
public enum TokenEndpointAuthMethod
{
    [JsonStringEnumMemberName("client_secret_basic")]
    ClientSecretBasic,

    [JsonStringEnumMemberName("client_secret_post")]
    ClientSecretPost,

    [JsonStringEnumMemberName("none")]
    None,
}
