using System.Text.RegularExpressions;

namespace SsoOperator.Outpost.Configuration;

/// <summary>How the outpost guards an application.</summary>
public enum AppMode
{
    /// <summary>The outpost reverse-proxies admitted requests to the internal host.</summary>
    Proxy,

    /// <summary>An ingress asks the outpost whether to admit each request for one host.</summary>
    ForwardAuth,

    /// <summary>The same for every host under the cookie domain, with one sign-in.</summary>
    ForwardAuthDomain,
}

/// <summary>One problem in a config file: the field path (apps[1].skipPaths[0]) and what to change.</summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}

/// <summary>Where browsers meet the IdP, and where the outpost itself reaches it.</summary>
public sealed record IdpLocation(Uri BrowserUrl, Uri IdpUrl);

/// <summary>The session cookie settings; Keys[0] seals new cookies, the others only open old ones.</summary>
public sealed record SessionSettings(string CookieName, TimeSpan Lifetime, IReadOnlyList<byte[]> Keys);

/// <summary>One guarded application, validated.</summary>
public sealed record OutpostApp(
    string Slug,
    AppMode Mode,
    Uri ExternalHost,
    Uri? InternalHost,
    IReadOnlyList<Regex> SkipPaths,
    string? CookieDomain,
    string ClientId,
    string ClientSecret,
    bool PassAccessToken,
    AccessPolicy Access)
{
    /// <summary>The redirect URI registered at the IdP for this application's client.</summary>
    public Uri RedirectUri => new(ExternalHost, OutpostPaths.Callback);

    /// <summary>Where the IdP sends the browser after sign-out.</summary>
    public Uri PostLogoutRedirectUri => new(ExternalHost, OutpostPaths.SignedOut);

    /// <summary>True when the path needs no session. A regex that times out does not skip.</summary>
    public bool IsSkipped(string path)
    {
        foreach (var regex in SkipPaths)
        {
            try
            {
                if (regex.IsMatch(path))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Note: failing closed; a slow pattern must not open the gate.
            }
        }
        return false;
    }

    /// <summary>True when a URL on this host may be the target of a redirect after sign-in.</summary>
    public bool OwnsUrl(Uri url) => url.Scheme is "http" or "https" && (Mode == AppMode.ForwardAuthDomain
        ? HostNames.IsWithin(url.Host, CookieDomain!)
        : HostNames.SameAuthority(url, ExternalHost));
}

/// <summary>
/// One validated config revision. Immutable: a new file makes a new snapshot that is swapped in whole.
/// </summary>
public sealed class OutpostSnapshot(
    string revision, IdpLocation idp, SessionSettings session, IReadOnlyList<OutpostApp> apps)
{
    public string Revision { get; } = revision;

    public IdpLocation Idp { get; } = idp;

    public SessionSettings Session { get; } = session;

    public IReadOnlyList<OutpostApp> Apps { get; } = apps;

    /// <summary>The application serving a Host header value: an exact host first, then a cookie domain.</summary>
    public OutpostApp? FindApp(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return null;
        }
        var authority = HostNames.Normalize(host);
        var name = HostNames.NameOf(authority);
        return Apps.FirstOrDefault(a => HostNames.Authority(a.ExternalHost) == authority)
            ?? Apps.FirstOrDefault(a => a.Mode == AppMode.ForwardAuthDomain &&
                                        HostNames.IsWithin(name, a.CookieDomain!));
    }
}

/// <summary>The paths the outpost answers itself on every application host.</summary>
public static class OutpostPaths
{
    public const string Prefix = "/outpost/";
    public const string Start = "/outpost/start";
    public const string Callback = "/outpost/callback";
    public const string SignOut = "/outpost/sign_out";
    public const string SignedOut = "/outpost/signed_out";
    public const string Ping = "/ping";
}
