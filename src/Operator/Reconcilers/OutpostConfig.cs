using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using SsoOperator.Crds;

namespace SsoOperator.Operator.Reconcilers;

/// <summary>
/// The outpost's config file as the operator writes it (docs/outpost.md, "The configuration file").
/// It mirrors the gate's own type, SsoOperator.Outpost.Configuration.OutpostConfigFile, field for field
/// and in the same order, so that the gate writes back the very same text; a test holds the two together.
/// Note: the operator does not reference src/Outpost, which would carry the reverse proxy into it.
/// </summary>
public sealed record OutpostConfig(
    [property: JsonPropertyName("revision")] string Revision,
    [property: JsonPropertyName("idp")] OutpostIdp Idp,
    [property: JsonPropertyName("session")] OutpostSession Session,
    [property: JsonPropertyName("apps")] IReadOnlyList<OutpostApp> Apps)
{
    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The file's text: the same config always gives the same text, and so the same hash.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Written);

    /// <summary>SHA-256 of the file's text, lower-case hex; the gate reports its first 12 digits on /ping.</summary>
    public static string Hash(string json) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));

    /// <summary>The mode's name as the gate reads it.</summary>
    public static string ModeName(ProxyMode mode) => mode switch
    {
        ProxyMode.Proxy => "proxy",
        ProxyMode.ForwardAuth => "forwardAuth",
        ProxyMode.ForwardAuthDomain => "forwardAuthDomain",
        _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
    };
}

/// <summary>Where browsers and the outpost itself reach the IdP.</summary>
public sealed record OutpostIdp(
    [property: JsonPropertyName("browserUrl")] string BrowserUrl,
    [property: JsonPropertyName("idpUrl")] string? IdpUrl);

/// <summary>The session cookie's key; name and lifetime keep the gate's defaults.</summary>
public sealed record OutpostSession(
    [property: JsonPropertyName("cookieName")] string? CookieName,
    [property: JsonPropertyName("lifetime")] string? Lifetime,
    [property: JsonPropertyName("key")] string Key)
{
    // Note: records print their members; this one must never print the key.
    public override string ToString() => "session (key hidden)";
}

/// <summary>One guarded application: its proxy Provider's settings and client, and its access rules.</summary>
public sealed record OutpostApp(
    [property: JsonPropertyName("slug")] string Slug,
    [property: JsonPropertyName("mode")] string Mode,
    [property: JsonPropertyName("externalHost")] string ExternalHost,
    [property: JsonPropertyName("internalHost")] string? InternalHost,
    [property: JsonPropertyName("skipPaths")] IReadOnlyList<string> SkipPaths,
    [property: JsonPropertyName("cookieDomain")] string? CookieDomain,
    [property: JsonPropertyName("clientId")] string ClientId,
    [property: JsonPropertyName("clientSecret")] string ClientSecret,
    [property: JsonPropertyName("passAccessToken")] bool PassAccessToken,
    [property: JsonPropertyName("access")] OutpostAccess Access)
{
    public override string ToString() => $"app {Slug} ({Mode}, {ExternalHost})";
}

/// <summary>Who may use the application: deny unless a rule matches.</summary>
public sealed record OutpostAccess(
    [property: JsonPropertyName("groups")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("users")] IReadOnlyList<string> Users,
    [property: JsonPropertyName("requireMfa")] bool RequireMfa);
