namespace SsoOperator.IdP.Store;

/// <summary>A federated login (a Source resource): an external OpenID Connect issuer users may sign in with.</summary>
public sealed class SourceRecord : IOwnedRow
{
    public required string Slug { get; set; }

    public required string DisplayName { get; set; }

    /// <summary>The issuer exactly as its ID tokens' iss claim says it; discovery hangs below it.</summary>
    public required string Issuer { get; set; }

    public required string ClientId { get; set; }

    /// <summary>
    /// The client secret in plain text, because the IdP must present it to the issuer's token endpoint.
    /// </summary>
    /// <remarks>
    /// Note: not encrypted with Data Protection, because those keys live in this same database and the operator,
    /// which writes the row, does not hold them; the database is the boundary (see docs/idp.md).
    /// </remarks>
    public required string ClientSecret { get; set; }

    public List<string> Scopes { get; set; } = [];

    /// <summary>A Google Workspace domain the ID token's hd claim must equal; null accepts any account.</summary>
    public string? HostedDomain { get; set; }

    /// <summary>email or preferred_username: which claim names a new user.</summary>
    public required string UsernameClaim { get; set; }

    /// <summary>Whether a first sign-in by someone unknown creates a user.</summary>
    public bool CreateUsers { get; set; }

    /// <summary>The groups a user created through this source joins.</summary>
    public List<string> NewUserGroups { get; set; } = [];

    public required string OwnerKind { get; set; }

    public required string OwnerNamespace { get; set; }

    public required string OwnerName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ResourceOwner Owner => new(OwnerKind, OwnerNamespace, OwnerName);
}
