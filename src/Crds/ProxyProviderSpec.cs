using System.Text.Json.Serialization;
using SsoOperator.Crds.Schema;

namespace SsoOperator.Crds;

/// <summary>
/// A client for an Outpost guarding an application without OIDC. internalHost is required in proxy mode and
/// cookieDomain in forwardAuthDomain mode. The operator checks that neither is set in other modes, that
/// skipPaths compile and that externalHost lies within cookieDomain.
/// </summary>
[RequiredWhen("internalHost", "mode", "proxy")]
[RequiredWhen("cookieDomain", "mode", "forwardAuthDomain")]
public sealed partial class ProxyProviderSpec
{
    /// <summary>
    /// proxy: the Outpost is a reverse proxy in front of internalHost. forwardAuth: your ingress asks the
    /// Outpost whether to admit each request for one host. forwardAuthDomain: the same for every host
    /// under cookieDomain, with one sign-in.
    /// </summary>
    [JsonPropertyName("mode")]
    [Default]
    public ProxyMode Mode { get; set; } = ProxyMode.Proxy;

    /// <summary>The URL users open in the browser, for example https://guacamole.example.com.</summary>
    [JsonPropertyName("externalHost")]
    [Required]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string ExternalHost { get; set; } = "";

    /// <summary>Where the Outpost forwards admitted requests, for example http://guacamole.apps.svc:8080.</summary>
    [JsonPropertyName("internalHost")]
    [Pattern(Patterns.HttpUrl)]
    [MaxLength(2048)]
    public string? InternalHost { get; set; }

    /// <summary>
    /// Regular expressions (.NET syntax) for request paths that need no sign-in, for example ^/api/health$.
    /// Each must start with ^ so that it cannot match in the middle of another path.
    /// </summary>
    [JsonPropertyName("skipPaths")]
    [Set]
    [MaxItems(64)]
    [Pattern(Patterns.AnchoredRegex)]
    [MaxLength(1024)]
    public IList<string> SkipPaths { get; set; } = [];

    /// <summary>The domain the session cookie is set for in forwardAuthDomain mode, for example example.com.</summary>
    [JsonPropertyName("cookieDomain")]
    [Pattern(Patterns.Domain)]
    [MaxLength(253)]
    public string? CookieDomain { get; set; }
}

/// <summary>How an Outpost guards the application.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ProxyMode>))]
public enum ProxyMode
{
    [JsonStringEnumMemberName("proxy")]
    Proxy,

    [JsonStringEnumMemberName("forwardAuth")]
    ForwardAuth,

    [JsonStringEnumMemberName("forwardAuthDomain")]
    ForwardAuthDomain,
}
