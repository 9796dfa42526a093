using System.Text.Json;

namespace SsoOperator.IdP.Federation;

/// <summary>Who a source's issuer says signed in, from a validated ID token.</summary>
public sealed record ExternalIdentity(
    string Issuer, string Subject, string? Email, bool EmailVerified, string? Name, string? PreferredUsername,
    string? HostedDomain)
{
    /// <summary>Reads the claims of a validated ID token's payload.</summary>
    public static ExternalIdentity FromPayload(JsonElement payload) => new(
        Text(payload, "iss") ?? throw new ArgumentException("the ID token has no iss", nameof(payload)),
        Text(payload, "sub") ?? throw new ArgumentException("the ID token has no sub", nameof(payload)),
        Text(payload, "email"),
        IsTrue(payload, "email_verified"),
        Text(payload, "name"),
        Text(payload, "preferred_username"),
        Text(payload, "hd"));

    /// <summary>
    /// Fills in what the ID token left out from a userinfo response (whose sub the caller checked): the email
    /// with its email_verified, name and preferred_username. Never hd: a hosted domain counts only in the
    /// ID token, as Google documents it.
    /// </summary>
    public ExternalIdentity WithUserInfo(JsonElement userInfo) => this with
    {
        Email = Email ?? Text(userInfo, "email"),
        EmailVerified = Email is null ? IsTrue(userInfo, "email_verified") : EmailVerified,
        Name = Name ?? Text(userInfo, "name"),
        PreferredUsername = PreferredUsername ?? Text(userInfo, "preferred_username"),
    };

    // OpenID Connect Core 1.0, section 5.1 makes email_verified a boolean; some issuers (Google, once) send the
    // string "true". Anything else, or nothing, is not verified.
    private static bool IsTrue(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && (value.ValueKind == JsonValueKind.True
            || (value.ValueKind == JsonValueKind.String && value.GetString() == "true"));

    private static string? Text(JsonElement payload, string name) =>
        payload.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()
            : null;
}

/// <summary>
/// A federated sign-in that cannot go on: a fixed <see cref="Reason"/> for the audit log and a sentence the person
/// can act on as the message. Never carries a token, a code or a secret.
/// </summary>
public sealed class FederationException(string reason, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public string Reason { get; } = reason;
}
