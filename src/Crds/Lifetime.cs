using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace SsoOperator.Crds;

/// <summary>Token lifetimes as the API writes them: a positive whole number and one unit, s, m, h or d.</summary>
public static class Lifetime
{
    /// <summary>Parses 10m, 1h or 30d; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (string.IsNullOrEmpty(text) || text.Length < 2 || text[0] == '0')
        {
            return false;
        }
        var digits = text.AsSpan(0, text.Length - 1);
        if (digits.ContainsAnyExcept("0123456789") ||
            !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount) ||
            amount > 999_999)
        {
            return false;
        }
        TimeSpan? parsed = text[^1] switch
        {
            's' => TimeSpan.FromSeconds(amount),
            'm' => TimeSpan.FromMinutes(amount),
            'h' => TimeSpan.FromHours(amount),
            'd' => TimeSpan.FromDays(amount),
            _ => null,
        };
        lifetime = parsed.GetValueOrDefault();
        return parsed is not null;
    }

    /// <summary>Parses a lifetime or throws a FormatException that quotes it.</summary>
    public static TimeSpan Parse(string text) => TryParse(text, out var lifetime)
        ? lifetime
        : throw new FormatException($"'{text}' is not a lifetime; write a number and a unit: s, m, h or d (10m)");

    /// <summary>Writes the lifetime in the largest unit that represents it exactly (90m, 2h, 30d).</summary>
    public static string Format(TimeSpan lifetime)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromSeconds(1));
        var seconds = (long)lifetime.TotalSeconds;
        return seconds % 86_400 == 0 ? Invariant(seconds / 86_400, 'd')
            : seconds % 3_600 == 0 ? Invariant(seconds / 3_600, 'h')
            : seconds % 60 == 0 ? Invariant(seconds / 60, 'm')
            : Invariant(seconds, 's');
    }

    private static string Invariant(long amount, char unit) =>
        amount.ToString(CultureInfo.InvariantCulture) + unit;
}
