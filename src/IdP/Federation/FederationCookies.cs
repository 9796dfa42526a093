using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace SsoOperator.IdP.Federation;

/// <summary>What the callback needs to recognise the sign-in it started: nothing of it is kept server-side.</summary>
public sealed record FederationFlow(string Slug, string State, string Nonce, string Verifier, string ReturnUrl)
{
    /// <summary>A new flow: fresh random state, nonce and PKCE verifier (RFC 7636, section 4.1: 43+ chars).</summary>
    public static FederationFlow Start(string slug, string returnUrl) =>
        new(slug, RandomValue(), RandomValue(), RandomValue(), returnUrl);

    private static string RandomValue() => Base64Url(RandomNumberGenerator.GetBytes(32));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes)
        .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// An identity the issuer vouched for that matches a local account by email: it waits, for a few minutes, for that
/// account's password before it is linked.
/// </summary>
public sealed record PendingLink(string Slug, string Issuer, string Subject, string UserId, string ReturnUrl);

/// <summary>
/// The two short-lived cookies of a federated sign-in, protected (encrypted and signed) with ASP.NET Core Data
/// Protection and limited in time, so they can be neither read nor forged nor replayed later.
/// </summary>
public sealed class FederationCookies(IDataProtectionProvider protection, TimeProvider time)
{
    public const string FlowCookie = "sso.idp.federation";
    public const string LinkCookie = "sso.idp.federation.link";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ITimeLimitedDataProtector flows = protection
        .CreateProtector("SsoOperator.IdP.Federation.Flow").ToTimeLimitedDataProtector();

    private readonly ITimeLimitedDataProtector links = protection
        .CreateProtector("SsoOperator.IdP.Federation.Link").ToTimeLimitedDataProtector();

    public void WriteFlow(HttpContext context, FederationFlow flow) => Write(context, FlowCookie, flows, flow);

    /// <summary>The flow, once: the cookie is removed as it is read, so a callback cannot be replayed.</summary>
    public FederationFlow? TakeFlow(HttpContext context) => Take<FederationFlow>(context, FlowCookie, flows);

    public void WriteLink(HttpContext context, PendingLink link) => Write(context, LinkCookie, links, link);

    public PendingLink? ReadLink(HttpContext context) => Read<PendingLink>(context, LinkCookie, links);

    public static void DeleteLink(HttpContext context) => context.Response.Cookies.Delete(LinkCookie,
        Options(context, TimeSpan.Zero));

    private void Write<T>(HttpContext context, string name, ITimeLimitedDataProtector protector, T value)
    {
        var expires = time.GetUtcNow() + Lifetime;
        var protectedValue = protector.Protect(JsonSerializer.Serialize(value), expires);
        context.Response.Cookies.Append(name, protectedValue, Options(context, Lifetime));
    }

    private T? Take<T>(HttpContext context, string name, ITimeLimitedDataProtector protector)
        where T : class
    {
        var value = Read<T>(context, name, protector);
        context.Response.Cookies.Delete(name, Options(context, TimeSpan.Zero));
        return value;
    }

    private static T? Read<T>(HttpContext context, string name, ITimeLimitedDataProtector protector)
        where T : class
    {
        if (!context.Request.Cookies.TryGetValue(name, out var protectedValue) || protectedValue.Length == 0)
        {
            return null;
        }
        try
        {
            return JsonSerializer.Deserialize<T>(protector.Unprotect(protectedValue));
        }
        catch (CryptographicException)
        {
            // Tampered with, expired, or protected by a key this IdP no longer has: as if there were none.
            return null;
        }
    }

    // Lax: the issuer sends the browser back with a top-level GET, which Lax cookies accompany.
    private static CookieOptions Options(HttpContext context, TimeSpan maxAge) => new()
    {
        HttpOnly = true,
        Secure = context.Request.IsHttps,
        SameSite = SameSiteMode.Lax,
        Path = FederationEndpoints.PathPrefix,
        MaxAge = maxAge,
        IsEssential = true,
    };
}
