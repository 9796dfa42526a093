using System.Text.RegularExpressions;

namespace SsoOperator.Crds.Validation;

/// <summary>Checks shared by the specs' Validate methods; each adds a FieldError naming the path and fix.</summary>
internal static class Rules
{
    public static void HttpUrl(string path, string? value, List<FieldError> errors)
    {
        if (value is not null && !IsHttpUrl(value))
        {
            errors.Add(new(path, $"'{value}' is not an absolute http(s) URL; write it like https://app.example.com"));
        }
    }

    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Host.Length > 0;

    public static void RedirectUris(string path, IList<string> uris, List<FieldError> errors)
    {
        for (var i = 0; i < uris.Count; i++)
        {
            if (!Uri.TryCreate(uris[i], UriKind.Absolute, out var uri) || uri.Fragment.Length > 0)
            {
                errors.Add(new($"{path}[{i}]", $"'{uris[i]}' is not an absolute URI without a fragment (#...)"));
            }
        }
    }

    public static void Lifetime(string path, string value, TimeSpan max, List<FieldError> errors)
    {
        if (!Crds.Lifetime.TryParse(value, out var lifetime))
        {
            errors.Add(new(path, $"'{value}' is not a lifetime; write a number and a unit: s, m, h or d (10m)"));
        }
        else if (lifetime > max)
        {
            errors.Add(new(path, $"'{value}' is longer than the maximum of {Crds.Lifetime.Format(max)}"));
        }
    }

    public static void AnchoredRegexes(string path, IList<string> patterns, List<FieldError> errors)
    {
        for (var i = 0; i < patterns.Count; i++)
        {
            if (!patterns[i].StartsWith('^'))
            {
                errors.Add(new($"{path}[{i}]", $"'{patterns[i]}' must start with ^ so it matches whole paths only"));
            }
            else if (!Compiles(patterns[i], out var problem))
            {
                errors.Add(new($"{path}[{i}]", $"'{patterns[i]}' is not a valid regular expression: {problem}"));
            }
        }
    }

    public static void NonEmptyItems(string path, IList<string> items, List<FieldError> errors)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(items[i]))
            {
                errors.Add(new($"{path}[{i}]", "must not be empty; remove the item or fill it in"));
            }
        }
    }

    private static bool Compiles(string pattern, out string problem)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromMilliseconds(100));
            problem = "";
            return true;
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
            return false;
        }
    }
}
