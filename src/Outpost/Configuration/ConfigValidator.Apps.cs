using System.Text.RegularExpressions;

namespace SsoOperator.Outpost.Configuration;

public static partial class ConfigValidator
{
    private static List<OutpostApp> ValidateApps(IList<AppSection?> sections, List<ConfigError> errors)
    {
        var apps = new List<OutpostApp>();
        var slugs = new HashSet<string>(StringComparer.Ordinal);
        var hosts = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < sections.Count; i++)
        {
            var path = $"apps[{i}]";
            if (sections[i] is not { } section)
            {
                errors.Add(new(path, "must be an object"));
                continue;
            }
            var app = ValidateApp(section, path, errors);
            if (app is null)
            {
                continue;
            }
            if (!slugs.Add(app.Slug))
            {
                errors.Add(new($"{path}.slug", $"'{app.Slug}' is used by an earlier app"));
            }
            if (!hosts.Add(HostNames.Authority(app.ExternalHost)))
            {
                errors.Add(new($"{path}.externalHost", "another app already serves this host"));
            }
            apps.Add(app);
        }
        return apps;
    }

    private static OutpostApp? ValidateApp(AppSection app, string path, List<ConfigError> errors)
    {
        var count = errors.Count;
        if (app.Slug is null || !SlugRegex().IsMatch(app.Slug))
        {
            errors.Add(new($"{path}.slug", "required: lower-case letters, digits and '-' (a DNS label)"));
        }
        var mode = ParseMode(app.Mode, $"{path}.mode", errors);
        var external = HttpUrl(app.ExternalHost, $"{path}.externalHost", required: true, errors);
        if (external is not null && external.AbsolutePath != "/")
        {
            errors.Add(new($"{path}.externalHost", "give only scheme, host and port, without a path"));
        }
        var internalHost = ValidateInternalHost(app, mode, path, errors);
        var cookieDomain = ValidateCookieDomain(app, mode, external, path, errors);
        var skipPaths = ValidateSkipPaths(app.SkipPaths ?? [], path, errors);
        Require(app.ClientId, $"{path}.clientId", "the OIDC client id of this app at the IdP", errors);
        Require(app.ClientSecret, $"{path}.clientSecret", "the OIDC client secret of this app", errors);
        var access = ValidateAccess(app.Access, $"{path}.access", errors);

        return errors.Count > count || mode is null || external is null ? null : new OutpostApp(
            app.Slug!, mode.Value, external, internalHost, skipPaths, cookieDomain, app.ClientId!,
            app.ClientSecret!, app.PassAccessToken, access);
    }

    private static AppMode? ParseMode(string? mode, string path, List<ConfigError> errors)
    {
        switch (mode)
        {
            case "proxy": return AppMode.Proxy;
            case "forwardAuth": return AppMode.ForwardAuth;
            case "forwardAuthDomain": return AppMode.ForwardAuthDomain;
            default:
                errors.Add(new(path, "required: proxy, forwardAuth or forwardAuthDomain"));
                return null;
        }
    }

    private static Uri? ValidateInternalHost(AppSection app, AppMode? mode, string path, List<ConfigError> errors)
    {
        if (mode != AppMode.Proxy)
        {
            if (app.InternalHost is not null && mode is not null)
            {
                errors.Add(new($"{path}.internalHost", "only proxy mode forwards to an internal host; remove it"));
            }
            return null;
        }
        return HttpUrl(app.InternalHost, $"{path}.internalHost", required: true, errors);
    }

    private static string? ValidateCookieDomain(
        AppSection app, AppMode? mode, Uri? external, string path, List<ConfigError> errors)
    {
        var domain = app.CookieDomain?.ToLowerInvariant();
        if (mode != AppMode.ForwardAuthDomain)
        {
            if (domain is not null && mode is not null)
            {
                errors.Add(new($"{path}.cookieDomain", "only forwardAuthDomain mode uses a cookie domain; remove it"));
            }
            return null;
        }
        if (domain is null || !DomainRegex().IsMatch(domain))
        {
            errors.Add(new($"{path}.cookieDomain", "required: a DNS domain such as example.com, without a dot first"));
            return null;
        }
        if (external is not null && !HostNames.IsWithin(external.Host, domain))
        {
            errors.Add(new($"{path}.externalHost", $"must be a host within the cookie domain {domain}"));
        }
        return domain;
    }

    private static List<Regex> ValidateSkipPaths(IList<string?> patterns, string path, List<ConfigError> errors)
    {
        var regexes = new List<Regex>();
        for (var i = 0; i < patterns.Count; i++)
        {
            if (SkipPath(patterns[i], $"{path}.skipPaths[{i}]", errors) is { } regex)
            {
                regexes.Add(regex);
            }
        }
        return regexes;
    }

    private static AccessPolicy ValidateAccess(AccessSection? access, string path, List<ConfigError> errors)
    {
        if (access is null)
        {
            return AccessPolicy.DenyAll;
        }
        var groups = Names(access.Groups ?? [], $"{path}.groups", errors);
        var users = Names(access.Users ?? [], $"{path}.users", errors);
        return new AccessPolicy(groups, users, access.RequireMfa);
    }

    private static HashSet<string> Names(IList<string?> names, string path, List<ConfigError> errors)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(names[i]))
            {
                errors.Add(new($"{path}[{i}]", "must not be empty"));
                continue;
            }
            set.Add(names[i]!);
        }
        return set;
    }

    private static void Require(string? value, string path, string what, List<ConfigError> errors)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(new(path, $"required: {what}"));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex SlugRegex();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$")]
    private static partial Regex DomainRegex();
}
