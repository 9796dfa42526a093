using System.Text.Json.Serialization;
using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Sessions;

/// <summary>What the session cookie holds, sealed: who signed in, until when, and the tokens kept.</summary>
public sealed record SessionTicket(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("usr")] string? Username,
    [property: JsonPropertyName("eml")] string? Email,
    [property: JsonPropertyName("grp")] IReadOnlyList<string> Groups,
    [property: JsonPropertyName("amr")] IReadOnlyList<string> Amr,
    [property: JsonPropertyName("exp")] DateTimeOffset ExpiresAt,
    [property: JsonPropertyName("idt")] string? IdToken,
    [property: JsonPropertyName("act")] string? AccessToken)
{
    [JsonIgnore]
    public UserIdentity User => new(Subject, Username, Email, Groups, Amr);
}

/// <summary>
/// What a sign-in in progress keeps between the redirect to the IdP and the callback: the values the
/// callback must see again (state, nonce) and the PKCE verifier (RFC 7636, section 4.1).
/// </summary>
public sealed record FlowTicket(
    [property: JsonPropertyName("sta")] string State,
    [property: JsonPropertyName("non")] string Nonce,
    [property: JsonPropertyName("ver")] string Verifier,
    [property: JsonPropertyName("ret")] string ReturnUrl,
    [property: JsonPropertyName("app")] string Slug,
    [property: JsonPropertyName("exp")] DateTimeOffset ExpiresAt);
