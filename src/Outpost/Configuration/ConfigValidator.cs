using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SsoOperator.Outpost.Configuration;

/// <summary>The result of reading a config file: a snapshot, or every error found in it.</summary>
public sealed record ConfigResult(OutpostSnapshot? Snapshot, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Snapshot is not null;
}

/// <summary>
/// Reads a config file in full and reports every problem with its field path, never only the first,
/// so that one look at the log is enough to fix a file.
/// </summary>
public static partial class ConfigValidator
{
    public const string DefaultCookieName = "_sso_outpost";
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);
    private const int MinimumKeyBytes = 32;

    private static readonly JsonSerializerOptions Json = new()
    {
        AllowTrailingCommas = true,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    public static ConfigResult Parse(string text)
    {
        OutpostConfigFile? file;
        try
        {
            file = JsonSerializer.Deserialize<OutpostConfigFile>(text, Json);
        }
        catch (JsonException e)
        {
            return new ConfigResult(null, [new ConfigError(e.Path ?? "$", $"not valid JSON: {e.Message}")]);
        }
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..12];
        return file is null ? new ConfigResult(null, [new ConfigError("$", "the file is empty")])
            : Validate(file, hash);
    }

    public static ConfigResult Validate(OutpostConfigFile file, string hash)
    {
        var errors = new List<ConfigError>();
        var idp = ValidateIdp(file.Idp, errors);
        var session = ValidateSession(file.Session, errors);
        var apps = ValidateApps(file.Apps ?? [], errors);
        if (errors.Count > 0 || idp is null || session is null)
        {
            return new ConfigResult(null, errors);
        }
        var revision = string.IsNullOrWhiteSpace(file.Revision) ? hash : $"{file.Revision} ({hash})";
        return new ConfigResult(new OutpostSnapshot(revision, idp, session, apps), []);
    }

    private static IdpLocation? ValidateIdp(IdpSection? idp, List<ConfigError> errors)
    {
        if (idp is null)
        {
            errors.Add(new("idp", "required: the IdP's browserUrl (and idpUrl when pods reach it elsewhere)"));
            return null;
        }
        var browser = HttpUrl(idp.BrowserUrl, "idp.browserUrl", required: true, errors);
        var back = HttpUrl(idp.IdpUrl, "idp.idpUrl", required: false, errors) ?? browser;
        return browser is null || back is null ? null : new IdpLocation(WithSlash(browser), WithSlash(back));
    }

    private static SessionSettings? ValidateSession(SessionSection? session, List<ConfigError> errors)
    {
        if (session is null)
        {
            errors.Add(new("session", "required: at least session.key"));
            return null;
        }
        var count = errors.Count;
        var name = session.CookieName ?? DefaultCookieName;
        if (!CookieNameRegex().IsMatch(name))
        {
            errors.Add(new("session.cookieName", "use letters, digits, '-' and '_' only (at most 64)"));
        }
        var lifetime = DefaultLifetime;
        if (session.Lifetime is not null && !Lifetime.TryParse(session.Lifetime, out lifetime))
        {
            errors.Add(new("session.lifetime", "write a number and a unit, s, m, h or d (for example 12h)"));
        }
        var keys = new List<byte[]>();
        AddKey(session.Key, "session.key", keys, errors);
        var previous = session.PreviousKeys ?? [];
        for (var i = 0; i < previous.Count; i++)
        {
            AddKey(previous[i], $"session.previousKeys[{i}]", keys, errors);
        }
        return errors.Count == count ? new SessionSettings(name, lifetime, keys) : null;
    }

    private static void AddKey(string? text, string path, List<byte[]> keys, List<ConfigError> errors)
    {
        byte[]? key = null;
        try
        {
            key = text is null ? null : Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            // Note: reported below with the same message as a missing key.
        }
        if (key is null || key.Length < MinimumKeyBytes)
        {
            errors.Add(new(path, $"required: base64 of {MinimumKeyBytes} random bytes or more"));
            return;
        }
        keys.Add(key);
    }

    internal static Uri? HttpUrl(string? text, string path, bool required, List<ConfigError> errors)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            if (required)
            {
                errors.Add(new(path, "required: an absolute http or https URL"));
            }
            return null;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https") ||
            string.IsNullOrEmpty(url.Host) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment))
        {
            errors.Add(new(path, $"'{text}' is not an absolute http or https URL without query or fragment"));
            return null;
        }
        return url;
    }

    internal static Regex? SkipPath(string? pattern, string path, List<ConfigError> errors)
    {
        if (string.IsNullOrEmpty(pattern) || pattern[0] != '^')
        {
            errors.Add(new(path, "must start with ^ so that it cannot match in the middle of a path"));
            return null;
        }
        try
        {
            return new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException e)
        {
            errors.Add(new(path, $"not a valid regular expression: {e.Message}"));
            return null;
        }
    }

    private static Uri WithSlash(Uri url) =>
        url.AbsolutePath.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex CookieNameRegex();
}
