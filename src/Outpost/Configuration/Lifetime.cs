using System.Globalization;

namespace SsoOperator.Outpost.Configuration;

/// <summary>Durations as the CRDs write them: a positive whole number and one unit, s, m, h or d.</summary>
public static class Lifetime
{
    public static bool TryParse(string text, out TimeSpan lifetime)
    {
        lifetime = default;
        if (text.Length < 2 || text[0] == '0' ||
            !int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture,
                out var amount) || amount > 999_999)
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
}
