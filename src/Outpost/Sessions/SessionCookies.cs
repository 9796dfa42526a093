using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using SsoOperator.Outpost.Configuration;

namespace SsoOperator.Outpost.Sessions;

/// <summary>
/// Reads and writes the sealed session and sign-in cookies. Cookies are split into chunks when large
/// (an ID token alone can pass the 4 KB a browser keeps per cookie). Each app's cookies are sealed for
/// that app's host (or cookie domain), so a cookie copied to another app does not open there.
/// </summary>
public sealed class SessionCookies(SessionProtection protection, TimeProvider time)
{
    private static readonly TimeSpan FlowLifetime = TimeSpan.FromMinutes(10);
    private readonly ChunkingCookieManager chunks = new();

    public SessionTicket? ReadSession(HttpContext context, OutpostSnapshot config, OutpostApp app)
    {
        var ticket = Open<SessionTicket>(context, config, app, SessionCookie(config, app), "session");
        return ticket is not null && ticket.ExpiresAt > time.GetUtcNow() ? ticket : null;
    }

    public void WriteSession(HttpContext context, OutpostSnapshot config, OutpostApp app, SessionTicket ticket) =>
        Seal(context, config, app, SessionCookie(config, app), "session", ticket, ticket.ExpiresAt, "/");

    public void DeleteSession(HttpContext context, OutpostSnapshot config, OutpostApp app) =>
        chunks.DeleteCookie(context, SessionCookie(config, app), Options(app, null, "/"));

    /// <summary>Starts a sign-in: fresh state, nonce and PKCE verifier, in a cookie named by the state.</summary>
    public FlowTicket StartFlow(HttpContext context, OutpostSnapshot config, OutpostApp app, string returnUrl)
    {
        var flow = new FlowTicket(Random(), Random(), Random(), returnUrl, app.Slug, time.GetUtcNow() + FlowLifetime);
        Seal(context, config, app, FlowCookie(config, flow.State), "flow", flow, flow.ExpiresAt,
            OutpostPaths.Callback);
        return flow;
    }

    /// <summary>The sign-in that a callback's state names, removed so that it completes only once.</summary>
    public FlowTicket? TakeFlow(HttpContext context, OutpostSnapshot config, OutpostApp app, string state)
    {
        var name = FlowCookie(config, state);
        var flow = Open<FlowTicket>(context, config, app, name, "flow");
        chunks.DeleteCookie(context, name, Options(app, null, OutpostPaths.Callback));
        return flow is not null && flow.State == state && flow.Slug == app.Slug && flow.ExpiresAt > time.GetUtcNow()
            ? flow
            : null;
    }

    private T? Open<T>(HttpContext context, OutpostSnapshot config, OutpostApp app, string name, string kind)
        where T : class
    {
        var sealedValue = chunks.GetRequestCookie(context, name);
        if (string.IsNullOrEmpty(sealedValue))
        {
            return null;
        }
        try
        {
            var json = Protector(config, app, kind).Unprotect(sealedValue);
            return JsonSerializer.Deserialize<T>(json);
        }
        catch (Exception e) when (e is CryptographicException or JsonException or FormatException)
        {
            // Note: a cookie sealed with a key rotated out, for another app or tampered with is no session.
            return null;
        }
    }

    private void Seal<T>(HttpContext context, OutpostSnapshot config, OutpostApp app, string name, string kind,
        T value, DateTimeOffset expires, string path)
    {
        var sealedValue = Protector(config, app, kind).Protect(JsonSerializer.Serialize(value));
        chunks.AppendResponseCookie(context, name, sealedValue, Options(app, expires, path));
    }

    private IDataProtector Protector(OutpostSnapshot config, OutpostApp app, string kind)
    {
        var scope = app.Mode == AppMode.ForwardAuthDomain ? "domain:" + app.CookieDomain
            : "host:" + HostNames.Authority(app.ExternalHost);
        return protection.For(config.Session.Keys).CreateProtector("SsoOperator.Outpost", kind, scope);
    }

    private static CookieOptions Options(OutpostApp app, DateTimeOffset? expires, string path) => new()
    {
        HttpOnly = true,
        Secure = app.ExternalHost.Scheme == Uri.UriSchemeHttps,
        // Note: Lax, not Strict: the IdP's redirect back to the callback is a cross-site navigation.
        SameSite = SameSiteMode.Lax,
        Path = path,
        Domain = app.Mode == AppMode.ForwardAuthDomain ? app.CookieDomain : null,
        Expires = expires,
    };

    /// <summary>
    /// The session cookie's name. Note: a domain-wide cookie carries the app's slug, because a browser
    /// sends it to every host under the domain, where a host's own cookie of the same name would clash.
    /// </summary>
    public static string SessionCookie(OutpostSnapshot config, OutpostApp app) =>
        app.Mode == AppMode.ForwardAuthDomain ? $"{config.Session.CookieName}_{app.Slug}" : config.Session.CookieName;

    private static string FlowCookie(OutpostSnapshot config, string state) =>
        $"{config.Session.CookieName}_flow_{(state.Length > 12 ? state[..12] : state)}";

    private static string Random() => Base64UrlEncode(RandomNumberGenerator.GetBytes(32));

    internal static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
