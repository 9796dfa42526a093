namespace SsoOperator.Outpost.Configuration;

/// <summary>Comparisons of hosts as browsers and cookies see them: case-insensitive, default ports dropped.</summary>
public static class HostNames
{
    /// <summary>host[:port] in lower case, without :80 or :443.</summary>
    public static string Normalize(string hostHeader)
    {
        var host = hostHeader.Trim().ToLowerInvariant();
        return host.EndsWith(":80", StringComparison.Ordinal) || host.EndsWith(":443", StringComparison.Ordinal)
            ? host[..host.LastIndexOf(':')]
            : host;
    }

    /// <summary>The authority a URL's host header carries: host, plus the port when not the default.</summary>
    public static string Authority(Uri url) =>
        url.IsDefaultPort ? url.Host.ToLowerInvariant() : $"{url.Host.ToLowerInvariant()}:{url.Port}";

    /// <summary>The host name of an authority, without the port (IPv6 literals keep their brackets).</summary>
    public static string NameOf(string authority)
    {
        var colon = authority.LastIndexOf(':');
        return colon > authority.LastIndexOf(']') ? authority[..colon] : authority;
    }

    /// <summary>True when host is the domain or a subdomain of it, as a cookie's Domain attribute matches.</summary>
    public static bool IsWithin(string host, string domain)
    {
        var name = host.ToLowerInvariant();
        return name == domain || name.EndsWith("." + domain, StringComparison.Ordinal);
    }

    public static bool SameAuthority(Uri a, Uri b) =>
        a.Scheme == b.Scheme && Authority(a) == Authority(b);
}
