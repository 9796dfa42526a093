namespace SsoOperator.Operator.Runtime;

/// <summary>Exponential backoff per failure count: initial, 2×, 4×, ... capped at <paramref name="max"/>.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    public static Backoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));

    public TimeSpan Initial => initial;

    public TimeSpan Max => max;

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures in a row.</summary>
    public TimeSpan Delay(int failures)
    {
        // Note: past 2^30 the double would still be exact, but the cap has long been reached by then.
        var factor = Math.Pow(2, Math.Clamp(failures, 0, 30));
        var delay = initial.TotalMilliseconds * factor;
        return delay >= max.TotalMilliseconds ? max : TimeSpan.FromMilliseconds(delay);
    }
}
