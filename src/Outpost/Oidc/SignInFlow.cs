using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SsoOperator.Outpost.Configuration;
using SsoOperator.Outpost.Sessions;

namespace SsoOperator.Outpost.Oidc;

/// <summary>How a callback ended: a session for the user, or the reason there is none.</summary>
public sealed record CallbackOutcome(UserIdentity? User, string ReturnUrl, AccessDecision Decision);

/// <summary>The authorization code flow from the outpost's side: the redirect out and the callback.</summary>
public sealed partial class SignInFlow(
    IdpClient idp, SessionCookies cookies, TimeProvider time, ILogger<SignInFlow> audit)
{
    /// <summary>Begins a sign-in that returns to returnUrl, and gives the IdP URL to send the browser to.</summary>
    public Task<Uri> StartAsync(HttpContext context, OutpostSnapshot config, OutpostApp app, string returnUrl)
    {
        var flow = cookies.StartFlow(context, config, app, returnUrl);
        return idp.AuthorizeUrlAsync(config.Idp, app, flow, context.RequestAborted);
    }

    /// <summary>
    /// Completes the authorization response (OpenID Connect Core 1.0, section 3.1.2.5): checks state and
    /// issuer, redeems the code, validates the ID token, and admits the user only when the app's access
    /// policy does. Throws SignInException when the response cannot be trusted.
    /// </summary>
    public async Task<CallbackOutcome> CompleteAsync(
        HttpContext context, OutpostSnapshot config, OutpostApp app, IQueryCollection query)
    {
        var token = context.RequestAborted;
        var flow = cookies.TakeFlow(context, config, app, query["state"].ToString())
            ?? throw new SignInException("state_mismatch", "this sign-in link is stale or was opened elsewhere");
        if (!string.IsNullOrEmpty(query["error"]))
        {
            throw new SignInException("idp_error", $"the IdP ended the sign-in: {query["error"]}");
        }
        var discovery = await idp.DiscoverAsync(config.Idp, token).ConfigureAwait(false);
        CheckIssuerParameter(config.Idp, discovery.Issuer, query["iss"].ToString());

        var tokens = await idp.RedeemAsync(config.Idp, app, query["code"].ToString(), flow.Verifier, token)
            .ConfigureAwait(false);
        using var claims = await ValidateIdTokenAsync(config, app, tokens.IdToken, flow.Nonce).ConfigureAwait(false);
        using var userInfo = tokens.AccessToken is null ? null
            : await idp.UserInfoAsync(config.Idp, tokens.AccessToken, token).ConfigureAwait(false);
        var user = ClaimsReader.Identity(claims.RootElement, userInfo?.RootElement);

        var decision = app.Access.Evaluate(user);
        LogSignIn(audit, app.Slug, app.ClientId, user.Subject, user.Username, decision, context.TraceIdentifier);
        if (decision == AccessDecision.Allowed)
        {
            var ticket = new SessionTicket(user.Subject, user.Username, user.Email, user.Groups, user.Amr,
                time.GetUtcNow() + config.Session.Lifetime, tokens.IdToken,
                app.PassAccessToken ? tokens.AccessToken : null);
            cookies.WriteSession(context, config, app, ticket);
        }
        return new CallbackOutcome(user, flow.ReturnUrl, decision);
    }

    /// <summary>RFC 9207, section 2.4: when the IdP names itself in the response, it must be the issuer.</summary>
    private static void CheckIssuerParameter(IdpLocation location, string issuer, string iss)
    {
        if (iss.Length > 0 && iss != issuer && iss != IdpUrls.ForBrowser(location, issuer).AbsoluteUri)
        {
            throw new SignInException("issuer_mismatch", "the sign-in response came from another issuer");
        }
    }

    private async Task<JsonDocument> ValidateIdTokenAsync(
        OutpostSnapshot config, OutpostApp app, string idToken, string nonce)
    {
        var result = await ValidateSignedAsync(config.Idp, app, idToken).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException)
        {
            // Note: the IdP may have rotated its signing keys since discovery was cached.
            idp.Refresh(config.Idp);
            result = await ValidateSignedAsync(config.Idp, app, idToken).ConfigureAwait(false);
        }
        if (!result.IsValid)
        {
            throw new SignInException("id_token_invalid",
                $"the ID token was refused: {result.Exception?.GetType().Name}");
        }
        var jwt = (JsonWebToken)result.SecurityToken;
        var payload = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(jwt.EncodedPayload));
        var tokenNonce = payload.RootElement.TryGetProperty("nonce", out var n) ? n.GetString() : null;
        if (tokenNonce != nonce)
        {
            payload.Dispose();
            throw new SignInException("nonce_mismatch", "the ID token belongs to another sign-in");
        }
        return payload;
    }

    private async Task<TokenValidationResult> ValidateSignedAsync(IdpLocation location, OutpostApp app, string idToken)
    {
        var discovery = await idp.DiscoverAsync(location, CancellationToken.None).ConfigureAwait(false);
        var parameters = new TokenValidationParameters
        {
            ValidIssuer = discovery.Issuer,
            ValidAudience = app.ClientId,
            IssuerSigningKeys = discovery.SigningKeys,
            ValidateLifetime = true,
            ClockSkew = TimeSpan.FromMinutes(2),
        };
        return await new JsonWebTokenHandler().ValidateTokenAsync(idToken, parameters).ConfigureAwait(false);
    }

    [LoggerMessage(30, LogLevel.Information,
        "Sign-in to {App} (client {ClientId}) by {Subject} ({Username}): {Decision}, request {RequestId}")]
    private static partial void LogSignIn(ILogger logger, string app, string clientId, string subject,
        string? username, AccessDecision decision, string requestId);
}

/// <summary>Reads the user from ID token claims, filled in from userinfo for the same subject.</summary>
internal static class ClaimsReader
{
    public static UserIdentity Identity(JsonElement idToken, JsonElement? userInfo)
    {
        var subject = String(idToken, "sub")
            ?? throw new SignInException("id_token_invalid", "the ID token has no sub");
        // OpenID Connect Core 1.0, section 5.3.2: userinfo for another subject must not be used.
        var extra = userInfo is { } info && String(info, "sub") == subject ? info : (JsonElement?)null;
        return new UserIdentity(
            subject,
            String(idToken, "preferred_username") ?? Optional(extra, "preferred_username"),
            String(idToken, "email") ?? Optional(extra, "email"),
            Strings(idToken, "groups") is { Count: > 0 } groups ? groups : OptionalList(extra, "groups"),
            Strings(idToken, "amr"));
    }

    private static string? Optional(JsonElement? element, string name) =>
        element is { } e ? String(e, name) : null;

    private static List<string> OptionalList(JsonElement? element, string name) =>
        element is { } e ? Strings(e, name) : [];

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>A claim that is a JSON array of strings, or a single string.</summary>
    private static List<string> Strings(JsonElement element, string name)
    {
        if (!element.TryGetProperty(name, out var value))
        {
            return [];
        }
        return value.ValueKind switch
        {
            JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.String)
                .Select(v => v.GetString()!).ToList(),
            JsonValueKind.String => [value.GetString()!],
            _ => [],
        };
    }
}
