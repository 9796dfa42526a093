using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class BackoffTests
{
    private readonly Backoff backoff = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));

    [Theory]
    [InlineData(0, 100)]
    [InlineData(1, 200)]
    [InlineData(2, 400)]
    [InlineData(3, 800)]
    public void Delay_BelowCap_DoublesPerFailure(int failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), backoff.Delay(failures));

    [Theory]
    [InlineData(4)]
    [InlineData(60)]
    [InlineData(int.MaxValue)]
    public void Delay_PastCap_StaysAtCap(int failures) =>
        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Delay(failures));
}
