namespace SsoOperator.Crds;

/// <summary>The regular expressions the schema enforces, shared by the types and their validation.</summary>
public static class Patterns
{
    /// <summary>An absolute http(s) URL with a host and no whitespace.</summary>
    public const string HttpUrl = @"^https?://[^\s/?#]+([/?#][^\s]*)?$";

    /// <summary>An absolute URI with a scheme, no whitespace and no fragment (RFC 6749, section 3.1.2).</summary>
    public const string RedirectUri = @"^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s#]+$";

    /// <summary>A lifetime: a positive whole number and one unit, s, m, h or d (for example 10m or 30d).</summary>
    public const string Lifetime = "^[1-9][0-9]{0,5}[smhd]$";

    /// <summary>An OAuth client id: unreserved URL characters, starting with a letter or digit.</summary>
    public const string ClientId = "^[a-zA-Z0-9][a-zA-Z0-9._~-]*$";

    /// <summary>An application slug, used in URLs: a DNS label.</summary>
    public const string Slug = "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>The name of an object in the same namespace: a DNS subdomain.</summary>
    public const string ObjectName = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$";

    /// <summary>A key in a Secret's data.</summary>
    public const string SecretKey = "^[-._a-zA-Z0-9]+$";

    /// <summary>A DNS domain for cookies, without scheme or leading dot (for example example.com).</summary>
    public const string Domain = @"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$";

    /// <summary>An OAuth scope token (RFC 6749, section 3.3): printable ASCII except space, quote, backslash.</summary>
    public const string Scope = @"^[\x21\x23-\x5B\x5D-\x7E]+$";

    /// <summary>A skip-path regex must be anchored at the start, so it cannot match inside another path.</summary>
    public const string AnchoredRegex = @"^\^";
}
