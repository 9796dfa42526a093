using SsoOperator.Crds.Validation;

namespace SsoOperator.Crds;

public sealed partial class ProxyProviderSpec
{
    internal void AddErrors(string path, List<FieldError> errors)
    {
        Rules.HttpUrl($"{path}.externalHost", ExternalHost, errors);
        Rules.HttpUrl($"{path}.internalHost", InternalHost, errors);
        Rules.AnchoredRegexes($"{path}.skipPaths", SkipPaths, errors);
        AddModeErrors(path, errors);
    }

    private void AddModeErrors(string path, List<FieldError> errors)
    {
        if (Mode == ProxyMode.Proxy && InternalHost is null)
        {
            errors.Add(new($"{path}.internalHost", "proxy mode needs the URL to forward to; set internalHost"));
        }
        if (Mode != ProxyMode.Proxy && InternalHost is not null)
        {
            errors.Add(new($"{path}.internalHost", "only proxy mode forwards requests; remove internalHost"));
        }
        if (Mode == ProxyMode.ForwardAuthDomain && CookieDomain is null)
        {
            errors.Add(new($"{path}.cookieDomain", "forwardAuthDomain mode needs a cookie domain; set cookieDomain"));
        }
        if (Mode != ProxyMode.ForwardAuthDomain && CookieDomain is not null)
        {
            errors.Add(new($"{path}.cookieDomain", "only forwardAuthDomain mode uses cookieDomain; remove it"));
        }
        if (Mode == ProxyMode.ForwardAuthDomain && CookieDomain is { } domain && !IsWithin(ExternalHost, domain))
        {
            errors.Add(new($"{path}.externalHost",
                $"the host of '{ExternalHost}' is not within cookieDomain '{domain}'; the cookie would not reach it"));
        }
    }

    private static bool IsWithin(string url, string domain) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) &&
        (uri.Host.Equals(domain, StringComparison.OrdinalIgnoreCase) ||
         uri.Host.EndsWith("." + domain, StringComparison.OrdinalIgnoreCase));
}
