using Microsoft.AspNetCore.Identity;

namespace SsoOperator.IdP.Store;

/// <summary>A person who signs in. Its Id is the stable, never reused `sub`.</summary>
public sealed class IdpUser : IdentityUser
{
    public string? DisplayName { get; set; }

    /// <summary>A disabled user can neither sign in nor refresh tokens.</summary>
    public bool IsDisabled { get; set; }

    public DateTimeOffset CreatedAt { get; set; } = DateTimeOffset.UtcNow;
}

/// <summary>
/// A group of users; its name is what the `groups` claim carries. Members are the users assigned to it
/// (AspNetUserRoles, for example by a Source's newUsers.groups) and, for a group a Group resource owns, the
/// user names and verified emails in <see cref="Members"/>.
/// </summary>
public sealed class IdpGroup : IdentityRole
{
    public IdpGroup()
    {
    }

    public IdpGroup(string name)
        : base(name)
    {
    }

    /// <summary>User names and email addresses declared as members; emails match only when verified.</summary>
    public List<string> Members { get; set; } = [];

    /// <summary>The Group resource that owns this group; null for one created by the IdP itself.</summary>
    public string? OwnerKind { get; set; }

    public string? OwnerNamespace { get; set; }

    public string? OwnerName { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public ResourceOwner? Owner =>
        OwnerKind is null || OwnerNamespace is null || OwnerName is null
            ? null : new(OwnerKind, OwnerNamespace, OwnerName);
}

/// <summary>Our side of an OpenIddict application: who owns it and what OpenIddict has no column for.</summary>
public sealed class ClientRegistration
{
    public required string ClientId { get; set; }

    public required string OwnerKind { get; set; }

    public required string OwnerNamespace { get; set; }

    public required string OwnerName { get; set; }

    public List<string> TokenEndpointAuthMethods { get; set; } = [];

    /// <summary>HMAC-SHA-256 of the plaintext secret keyed by <see cref="SecretSalt"/>: compared cheaply.</summary>
    public byte[]? SecretFingerprint { get; set; }

    public byte[]? SecretSalt { get; set; }

    /// <summary>SHA-256 of the stored slow hash the fingerprint was made for; a different hash is drift.</summary>
    public byte[]? StoredSecretDigest { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ResourceOwner Owner => new(OwnerKind, OwnerNamespace, OwnerName);
}

/// <summary>An application in the portal, linked to its client, with its access policy.</summary>
public sealed class ApplicationRecord : IOwnedRow
{
    public required string Slug { get; set; }

    public required string DisplayName { get; set; }

    public required string ClientId { get; set; }

    public string? LaunchUrl { get; set; }

    public string? Icon { get; set; }

    public List<string> Groups { get; set; } = [];

    public List<string> Users { get; set; } = [];

    public bool RequireMfa { get; set; }

    public required string OwnerKind { get; set; }

    public required string OwnerNamespace { get; set; }

    public required string OwnerName { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public ResourceOwner Owner => new(OwnerKind, OwnerNamespace, OwnerName);
}

/// <summary>An RSA key the IdP signs (use "sig") or encrypts (use "enc") tokens with.</summary>
public sealed class SigningKeyRecord
{
    public Guid Id { get; set; }

    public required string Use { get; set; }

    public required string Algorithm { get; set; }

    /// <summary>The private key, PKCS#8, protected with ASP.NET Core Data Protection.</summary>
    public required string ProtectedKey { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>From then on the key signs new tokens.</summary>
    public DateTimeOffset ActivatesAt { get; set; }

    /// <summary>After this the key neither signs nor verifies, and may be removed.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>A one-time link that lets one person create the first administrator.</summary>
public sealed class SetupTokenRecord
{
    public Guid Id { get; set; }

    /// <summary>SHA-256 of the token; the token itself is only ever in the log (or the named file).</summary>
    public required byte[] TokenHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
