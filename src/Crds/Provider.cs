using System.Text.Json.Serialization;
using k8s.Models;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// A client of the IdP: an OAuth2/OpenID Connect client for an application that speaks OIDC, or a proxy
/// client for an application guarded by an Outpost.
/// </summary>
[KubernetesEntity(Group = SsoApi.Group, ApiVersion = SsoApi.Version, Kind = "Provider", PluralName = "providers")]
[PrinterColumn("Client ID", ".status.clientId")]
public sealed class Provider() : CustomResource<ProviderSpec, ProviderStatus>(Info), ICustomResource
{
    public static ResourceInfo Info { get; } = new("Provider", "providers", "provider", ["ssoprov"]);

    /// <summary>The client id the IdP knows this provider by: spec.oauth2.clientId, else the name.</summary>
    [JsonIgnore]
    public string EffectiveClientId => Spec.OAuth2?.ClientId ?? Metadata?.Name ?? "";
}

/// <summary>
/// The desired client. Exactly one of oauth2 or proxy must be set. Rules the schema cannot express are
/// checked by the operator, which reports them as Ready=False with reason InvalidSpec.
/// </summary>
[ExactlyOneOf("oauth2", "proxy")]
public sealed partial class ProviderSpec
{
    /// <summary>An OAuth2/OpenID Connect client, for applications that sign users in with OIDC themselves.</summary>
    [JsonPropertyName("oauth2")]
    public OAuth2ProviderSpec? OAuth2 { get; set; }

    /// <summary>A client used by an Outpost to guard an application that has no OIDC support.</summary>
    [JsonPropertyName("proxy")]
    public ProxyProviderSpec? Proxy { get; set; }
}

/// <summary>The observed state of a Provider.</summary>
public sealed class ProviderStatus : ResourceStatus
{
    /// <summary>The client id registered in the IdP.</summary>
    [JsonPropertyName("clientId")]
    public string? ClientId { get; set; }

    /// <summary>The issuer URL clients use for discovery (/.well-known/openid-configuration).</summary>
    [JsonPropertyName("issuer")]
    public string? Issuer { get; set; }
}
