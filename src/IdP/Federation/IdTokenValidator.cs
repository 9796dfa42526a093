using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SsoOperator.IdP.Store;

namespace SsoOperator.IdP.Federation;

/// <summary>Validates the ID token a source's token endpoint returned, as a relying party must.</summary>
public sealed partial class IdTokenValidator(IssuerClient issuers, ILogger<IdTokenValidator> logger)
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    /// <summary>
    /// OpenID Connect Core 1.0, section 3.1.3.7: the iss MUST exactly match the issuer, the aud MUST contain our
    /// client_id (and an azp, when present, MUST be it), the signature MUST verify with the issuer's published
    /// keys in the algorithm it announced, the token MUST NOT be expired, and the nonce MUST be the one this
    /// sign-in sent. A failed check is a refusal, never a warning.
    /// </summary>
    public async Task<ExternalIdentity> ValidateAsync(SourceRecord source, OpenIdConnectConfiguration configuration,
        string idToken, string nonce, CancellationToken ct)
    {
        var result = await handler.ValidateTokenAsync(idToken, Parameters(source, configuration));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // The issuer may have rotated its keys since discovery was cached: fetch once more, then decide.
            issuers.ManagerFor(source.Issuer).RequestRefresh();
            configuration = await issuers.DiscoverAsync(source, ct);
            result = await handler.ValidateTokenAsync(idToken, Parameters(source, configuration));
        }
        if (!result.IsValid)
        {
            throw Refused(source, Reason(result.Exception), result.Exception?.GetType().Name ?? "invalid");
        }

        var token = (JsonWebToken)result.SecurityToken;
        var payload = JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement.Clone();
        CheckExactly(source, payload, nonce);
        return ExternalIdentity.FromPayload(payload);
    }

    private static TokenValidationParameters Parameters(SourceRecord source, OpenIdConnectConfiguration configuration)
    {
        var algorithms = configuration.IdTokenSigningAlgValuesSupported
            .Where(a => !string.Equals(a, "none", StringComparison.OrdinalIgnoreCase)).ToList();
        return new TokenValidationParameters
        {
            ValidIssuer = source.Issuer,
            ValidAudience = source.ClientId,
            IgnoreTrailingSlashWhenValidatingAudience = false,
            IssuerSigningKeys = configuration.SigningKeys,
            // OpenID Connect Discovery 1.0, section 3: RS256 MUST be supported, so it is the default.
            ValidAlgorithms = algorithms.Count > 0 ? algorithms : [SecurityAlgorithms.RsaSha256],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateLifetime = true,
            ClockSkew = ClockSkew,
        };
    }

    // The library's issuer and audience checks tolerate small differences (a trailing slash); the spec does not.
    private void CheckExactly(SourceRecord source, JsonElement payload, string nonce)
    {
        if (!payload.TryGetProperty("iss", out var iss) || iss.GetString() != source.Issuer)
        {
            throw Refused(source, "issuer", "iss differs from the source's issuer");
        }
        var audiences = payload.TryGetProperty("aud", out var aud) && aud.ValueKind == JsonValueKind.Array
            ? aud.EnumerateArray().Select(a => a.GetString()).ToList()
            : [payload.TryGetProperty("aud", out aud) ? aud.GetString() : null];
        if (!audiences.Contains(source.ClientId))
        {
            throw Refused(source, "audience", "aud does not contain the client id");
        }
        if (payload.TryGetProperty("azp", out var azp) && azp.GetString() != source.ClientId)
        {
            throw Refused(source, "audience", "azp is another client");
        }
        if (!payload.TryGetProperty("nonce", out var sent) || sent.ValueKind != JsonValueKind.String
            || !FixedTimeEquals(sent.GetString()!, nonce))
        {
            throw Refused(source, "nonce", "the nonce is not this sign-in's");
        }
        if (!payload.TryGetProperty("sub", out var sub) || string.IsNullOrEmpty(sub.GetString()))
        {
            throw Refused(source, "subject", "the ID token has no sub");
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    private static string Reason(Exception? error) => error switch
    {
        SecurityTokenInvalidIssuerException => "issuer",
        SecurityTokenInvalidAudienceException => "audience",
        SecurityTokenExpiredException or SecurityTokenNotYetValidException => "expired",
        SecurityTokenNoExpirationException => "expired",
        SecurityTokenInvalidAlgorithmException => "algorithm",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "signature",
        _ => "invalid",
    };

    private FederationException Refused(SourceRecord source, string check, string detail)
    {
        LogRefused(logger, source.Slug, check, detail);
        return new FederationException($"id-token-{check}",
            $"{source.DisplayName} sent a sign-in this IdP cannot trust (its ID token failed the {check} check).");
    }

    [LoggerMessage(EventId = 410, Level = LogLevel.Information,
        Message = "Source {Slug}: ID token refused, {Check} check failed ({Detail})")]
    private static partial void LogRefused(ILogger logger, string slug, string check, string detail);
}
