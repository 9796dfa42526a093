using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SsoOperator.IdP.Mfa;

/// <summary>
/// How a user signed in, as sessions and tokens say it: `amr` values from RFC 8176 (`pwd`, plus `otp` after a
/// TOTP or recovery code), `fed` after a federated sign-in, and an `acr` naming the level (OpenID Connect Core
/// 1.0, section 2).
/// </summary>
public static class AuthenticationMethods
{
    public const string AmrClaim = "amr";
    public const string AcrClaim = "acr";
    public const string Password = "pwd";
    public const string OneTimePassword = "otp";

    /// <summary>
    /// A federated sign-in (an ID token from a Source's issuer). Not one of RFC 8176's registered values; it is
    /// the one Microsoft's identity platform documents for a federated assertion, and OpenID Connect Core 1.0,
    /// section 2 leaves amr values to the parties to agree on (docs/mfa.md lists ours).
    /// </summary>
    public const string Federated = "fed";

    /// <summary>RFC 8176's generic "more than one factor"; older sessions (and other IdPs) say this.</summary>
    public const string MultipleFactors = "mfa";

    public const string PasswordLevel = "urn:ssooperator:acr:pwd";
    public const string MfaLevel = "urn:ssooperator:acr:mfa";
    public const string FederatedLevel = "urn:ssooperator:acr:fed";

    public static IReadOnlyList<string> PasswordOnly { get; } = [Password];

    public static IReadOnlyList<string> PasswordAndOtp { get; } = [Password, OneTimePassword];

    public static IReadOnlyList<string> FederatedOnly { get; } = [Federated];

    /// <summary>The first factor's values followed by otp: what a session says once the second step passed.</summary>
    public static IReadOnlyList<string> WithOneTimePassword(IReadOnlyList<string> firstFactor) =>
    [
        .. (firstFactor.Count > 0 ? firstFactor : PasswordOnly)
            .Where(value => value is not (OneTimePassword or MultipleFactors)),
        OneTimePassword,
    ];

    /// <summary>The amr values of a session or token principal: one per claim, or as a JSON array.</summary>
    public static IReadOnlyList<string> Read(ClaimsPrincipal? principal) =>
        principal?.FindAll(AmrClaim).SelectMany(Values).Distinct(StringComparer.Ordinal).ToList() ?? [];

    public static bool HasSecondFactor(ClaimsPrincipal? principal) => HasSecondFactor(Read(principal));

    public static bool HasSecondFactor(IReadOnlyList<string> amr) =>
        amr.Contains(OneTimePassword) || amr.Contains(MultipleFactors);

    public static string Level(IReadOnlyList<string> amr) =>
        HasSecondFactor(amr) ? MfaLevel
        : amr.Contains(Federated) && !amr.Contains(Password) ? FederatedLevel
        : PasswordLevel;

    /// <summary>Claims for the IdP's own session cookie.</summary>
    public static IEnumerable<Claim> SessionClaims(IReadOnlyList<string> amr) =>
        [.. amr.Select(value => new Claim(AmrClaim, value)), new Claim(AcrClaim, Level(amr))];

    /// <summary>Adds amr (a JSON array, as OpenID Connect Core 1.0, section 2 wants) and acr to tokens.</summary>
    public static void AddToTokens(ClaimsPrincipal principal, IReadOnlyList<string> amr)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(AmrClaim, JsonSerializer.Serialize(amr), JsonClaimValueTypes.JsonArray));
        identity.AddClaim(new Claim(AcrClaim, Level(amr)));
        foreach (var claim in identity.FindAll(c => c.Type is AmrClaim or AcrClaim))
        {
            claim.SetDestinations(Destinations.AccessToken, Destinations.IdentityToken);
        }
    }

    private static IEnumerable<string> Values(Claim claim) =>
        claim.Value.StartsWith('[') ? JsonSerializer.Deserialize<string[]>(claim.Value) ?? [] : [claim.Value];
}
