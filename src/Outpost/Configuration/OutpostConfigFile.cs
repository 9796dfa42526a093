using System.Text.Json;
using System.Text.Json.Serialization;

namespace SsoOperator.Outpost.Configuration;

/// <summary>
/// The config file as the operator writes it into the outpost's Secret (JSON). Every field is
/// optional here so that validation can name each missing one; <see cref="ConfigValidator"/> turns a
/// file into an <see cref="OutpostSnapshot"/>. docs/outpost.md describes the contract.
/// </summary>
public sealed class OutpostConfigFile
{
    private static readonly JsonSerializerOptions Written = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The file as the outpost reads it; the same input always gives the same text (and hash).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Written);

    /// <summary>A label for this revision, shown in logs; defaults to the file's hash.</summary>
    [JsonPropertyName("revision")]
    public string? Revision { get; set; }

    [JsonPropertyName("idp")]
    public IdpSection? Idp { get; set; }

    [JsonPropertyName("session")]
    public SessionSection? Session { get; set; }

    [JsonPropertyName("apps")]
    public IList<AppSection?>? Apps { get; set; }
}

/// <summary>Where the IdP is: for browsers, and for the outpost's own back-channel calls.</summary>
public sealed class IdpSection
{
    /// <summary>The issuer URL users' browsers reach, for example https://sso.example.com/.</summary>
    [JsonPropertyName("browserUrl")]
    public string? BrowserUrl { get; set; }

    /// <summary>The URL the outpost reaches the IdP at (discovery, token, JWKS); defaults to browserUrl.</summary>
    [JsonPropertyName("idpUrl")]
    public string? IdpUrl { get; set; }
}

/// <summary>The session cookie.</summary>
public sealed class SessionSection
{
    /// <summary>The cookie name; defaults to _sso_outpost.</summary>
    [JsonPropertyName("cookieName")]
    public string? CookieName { get; set; }

    /// <summary>How long a session lasts after sign-in: a number and a unit, s, m, h or d (12h).</summary>
    [JsonPropertyName("lifetime")]
    public string? Lifetime { get; set; }

    /// <summary>The shared secret every replica derives the cookie keys from: base64, 32 bytes or more.</summary>
    [JsonPropertyName("key")]
    public string? Key { get; set; }

    /// <summary>Keys rotated out: cookies they sealed are still read, new ones use key.</summary>
    [JsonPropertyName("previousKeys")]
    public IList<string?>? PreviousKeys { get; set; }
}

/// <summary>One application the outpost guards.</summary>
public sealed class AppSection
{
    [JsonPropertyName("slug")]
    public string? Slug { get; set; }

    /// <summary>proxy, forwardAuth or forwardAuthDomain.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; set; }

    [JsonPropertyName("externalHost")]
    public string? ExternalHost { get; set; }

    [JsonPropertyName("internalHost")]
    public string? InternalHost { get; set; }

    [JsonPropertyName("skipPaths")]
    public IList<string?>? SkipPaths { get; set; }

    [JsonPropertyName("cookieDomain")]
    public string? CookieDomain { get; set; }

    [JsonPropertyName("clientId")]
    public string? ClientId { get; set; }

    [JsonPropertyName("clientSecret")]
    public string? ClientSecret { get; set; }

    /// <summary>Also send the user's access token upstream as Authorization: Bearer.</summary>
    [JsonPropertyName("passAccessToken")]
    public bool PassAccessToken { get; set; }

    [JsonPropertyName("access")]
    public AccessSection? Access { get; set; }
}

/// <summary>Who may use the application: deny unless a rule matches.</summary>
public sealed class AccessSection
{
    [JsonPropertyName("groups")]
    public IList<string?>? Groups { get; set; }

    /// <summary>Usernames (preferred_username) or subject identifiers.</summary>
    [JsonPropertyName("users")]
    public IList<string?>? Users { get; set; }

    [JsonPropertyName("requireMfa")]
    public bool RequireMfa { get; set; }
}
