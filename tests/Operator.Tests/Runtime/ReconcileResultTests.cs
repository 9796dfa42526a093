using SsoOperator.Operator.Runtime;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class ReconcileResultTests
{
    [Fact]
    public void Labels_NameEachOutcome()
    {
        Assert.Equal("done", ReconcileResult.Done.Label);
        Assert.Equal("requeue", ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(1)).Label);
        Assert.Equal("retry", ReconcileResult.Retry("DatabaseUnavailable").Label);
        Assert.Equal("terminal", ReconcileResult.Terminal("InvalidSpec").Label);
    }

    [Fact]
    public void RequeueAfter_CarriesDelay()
    {
        var result = ReconcileResult.RequeueAfter(TimeSpan.FromSeconds(7));

        Assert.Equal(TimeSpan.FromSeconds(7), Assert.IsType<ReconcileResult.RequeueAfterResult>(result).Delay);
    }
}
