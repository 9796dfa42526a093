namespace SsoOperator.Crds.Tests;

public sealed class LifetimeTests
{
    [Theory]
    [InlineData("45s", 45)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3_600)]
    [InlineData("30d", 2_592_000)]
    [InlineData("999999s", 999_999)]
    public void TryParse_ValidLifetime_ReturnsTimeSpan(string text, long seconds)
    {
        Assert.True(Lifetime.TryParse(text, out var lifetime));
        Assert.Equal(TimeSpan.FromSeconds(seconds), lifetime);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10w")]
    [InlineData("0m")]
    [InlineData("010m")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("1h30m")]
    [InlineData(" 10m")]
    [InlineData("1000000s")]
    public void TryParse_InvalidLifetime_ReturnsFalse(string? text)
    {
        Assert.False(Lifetime.TryParse(text, out var lifetime));
        Assert.Equal(TimeSpan.Zero, lifetime);
    }

    [Fact]
    public void Parse_InvalidLifetime_ThrowsNamingTheValue()
    {
        var error = Assert.Throws<FormatException>(() => Lifetime.Parse("10w"));

        Assert.Contains("'10w'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(45, "45s")]
    [InlineData(5_400, "90m")]
    [InlineData(7_200, "2h")]
    [InlineData(2_592_000, "30d")]
    public void Format_Lifetime_UsesLargestExactUnit(long seconds, string expected)
    {
        var text = Lifetime.Format(TimeSpan.FromSeconds(seconds));

        Assert.Equal(expected, text);
        Assert.Equal(TimeSpan.FromSeconds(seconds), Lifetime.Parse(text));
    }

    [Fact]
    public void Pattern_AcceptsExactlyWhatTryParseAccepts()
    {
        var samples = new[] { "1s", "10m", "0m", "10w", "1h30m", "999999d", "1000000d", "05m" };

        foreach (var sample in samples)
        {
            var byPattern = System.Text.RegularExpressions.Regex.IsMatch(sample, Patterns.Lifetime);
            Assert.True(byPattern == Lifetime.TryParse(sample, out _), sample);
        }
    }
}
