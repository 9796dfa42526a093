using System.Text.Json.Serialization;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// A federated login: an external OpenID Connect issuer (Google, or any other) that people may sign in to
/// the IdP with. The sign-in page shows a button for each Source registered in the IdP (one that later turns
/// Ready=False keeps its button).
/// </summary>
[KubernetesEntity(Group = SsoApi.Group, ApiVersion = SsoApi.Version, Kind = "Source", PluralName = "sources")]
[PrinterColumn("Issuer", ".spec.oidc.issuer")]
[PrinterColumn("Redirect URI", ".status.redirectUri", Priority = 1)]
public sealed class Source() : CustomResource<SourceSpec, SourceStatus>(Info), ICustomResource
{
    public static ResourceInfo Info { get; } = new("Source", "sources", "source", ["ssosrc"]);

    /// <summary>The slug the IdP knows this source by: spec.slug, else the name.</summary>
    [JsonIgnore]
    public string EffectiveSlug => Spec.Slug ?? Metadata?.Name ?? "";
}

/// <summary>The desired federated login.</summary>
public sealed partial class SourceSpec
{
    /// <summary>The name on the sign-in button ("Sign in with Google").</summary>
    [JsonPropertyName("displayName")]
    [Required]
    [MinLength(1)]
    [MaxLength(100)]
    public string DisplayName { get; set; } = "";

    /// <summary>
    /// The source's identifier in the IdP's URLs (/federation/{slug}/callback). Defaults to the resource's
    /// name; unique across the cluster.
    /// </summary>
    [JsonPropertyName("slug")]
    [Pattern(Patterns.Slug)]
    [MaxLength(63)]
    public string? Slug { get; set; }

    /// <summary>The external OpenID Connect issuer and this IdP's client registration there.</summary>
    [JsonPropertyName("oidc")]
    [Required]
    public OidcSourceSpec Oidc { get; set; } = new();

    /// <summary>What happens the first time someone the IdP does not know yet signs in through this source.</summary>
    [JsonPropertyName("newUsers")]
    public NewUserPolicy NewUsers { get; set; } = new();
}

/// <summary>An external OpenID Connect issuer, found through its discovery document.</summary>
public sealed class OidcSourceSpec
{
    /// <summary>
    /// The issuer URL, exactly as its ID tokens say it (for Google https://accounts.google.com); discovery is
    /// read from {issuer}/.well-known/openid-configuration.
    /// </summary>
    [JsonPropertyName("issuer")]
    [Required]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string Issuer { get; set; } = "";

    /// <summary>The client id this IdP was registered with at the issuer.</summary>
    [JsonPropertyName("clientId")]
    [Required]
    [MinLength(1)]
    [MaxLength(256)]
    public string ClientId { get; set; } = "";

    /// <summary>A key of a Secret in the same namespace holding the client secret, for example a SOPS one.</summary>
    [JsonPropertyName("clientSecret")]
    [Required]
    public SourceSecretReference ClientSecret { get; set; } = new();

    /// <summary>The scopes requested from the issuer; openid is always sent.</summary>
    [JsonPropertyName("scopes")]
    [Default]
    [Set]
    [MaxItems(32)]
    [Pattern(Patterns.Scope)]
    [MaxLength(100)]
    public IList<string> Scopes { get; set; } = ["openid", "profile", "email"];

    /// <summary>
    /// A Google Workspace domain (example.com). When set, only ID tokens whose hd claim equals it are accepted,
    /// and the domain is sent as the hd hint; accounts outside it (including gmail.com) are refused.
    /// </summary>
    [JsonPropertyName("hostedDomain")]
    [Pattern(Patterns.Domain)]
    [MaxLength(253)]
    public string? HostedDomain { get; set; }

    /// <summary>
    /// The ID token claim a new user's user name is taken from: email or preferred_username, falling back to
    /// the other and then to sub (a number is appended when the name is taken).
    /// </summary>
    [JsonPropertyName("usernameClaim")]
    [Default]
    public UsernameClaim UsernameClaim { get; set; } = UsernameClaim.Email;
}

/// <summary>A key of a Secret in the same namespace.</summary>
public sealed class SourceSecretReference
{
    /// <summary>A key of an existing Secret in the same namespace.</summary>
    [JsonPropertyName("secretRef")]
    [Required]
    public SecretKeyReference SecretRef { get; set; } = new();
}

/// <summary>Which claim names a new user.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<UsernameClaim>))]
public enum UsernameClaim
{
    [JsonStringEnumMemberName("email")]
    Email,

    [JsonStringEnumMemberName("preferred_username")]
    PreferredUsername,
}

/// <summary>
/// How people who sign in through a source for the first time become users. An existing user with the same
/// verified email is never taken over: they must enter that account's password once to link the two.
/// </summary>
public sealed class NewUserPolicy
{
    /// <summary>
    /// true: an account is created on first sign-in. false: only people already linked to a user may sign in.
    /// </summary>
    [JsonPropertyName("create")]
    [Default]
    public bool Create { get; set; } = true;

    /// <summary>The groups a user created by this source joins (they still need an Application's rules).</summary>
    [JsonPropertyName("groups")]
    [Set]
    [MaxItems(64)]
    [MinLength(1)]
    [MaxLength(253)]
    public IList<string> Groups { get; set; } = [];
}

/// <summary>The observed state of a Source.</summary>
public sealed class SourceStatus : ResourceStatus
{
    /// <summary>The slug registered in the IdP.</summary>
    [JsonPropertyName("slug")]
    public string? Slug { get; set; }

    /// <summary>The redirect URI to register at the issuer for this IdP's client.</summary>
    [JsonPropertyName("redirectUri")]
    public string? RedirectUri { get; set; }
}
