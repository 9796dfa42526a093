namespace SsoOperator.IdP.Store;

/// <summary>
/// A user's TOTP authenticator. One per user; it counts only once confirmed with a first code.
/// </summary>
public sealed class MfaDeviceRecord
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>The shared secret (raw bytes, base64), protected with ASP.NET Core Data Protection.</summary>
    public required string ProtectedSecret { get; set; }

    /// <summary>
    /// The last time step a code was accepted for; a code for this step or an earlier one is refused, so each
    /// code works once (RFC 6238, section 5.2).
    /// </summary>
    public long? LastStep { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while enrollment waits for its first code.</summary>
    public DateTimeOffset? ConfirmedAt { get; set; }
}

/// <summary>A one-time recovery code, stored only as a hash.</summary>
public sealed class RecoveryCodeRecord
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    /// <summary>SHA-256 of the user id and the normalized code.</summary>
    public required byte[] CodeHash { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}
