using Microsoft.Extensions.Logging.Abstractions;
using SsoOperator.Operator.Runtime;
using SsoOperator.Operator.Tests.Support;

namespace SsoOperator.Operator.Tests.Runtime;

public sealed class LeaderElectionTests
{
    [Fact]
    public async Task RunAsync_LeaderDies_StandbyTakesOverWithinLeaseDuration()
    {
        var (client, ns) = await TestCluster.NamespaceAsync("lease");
        var leading = new List<string>();
        var options = new LeaderElectionOptions
        {
            Namespace = ns, LeaseName = "test", LeaseDuration = TimeSpan.FromSeconds(3),
            RenewDeadline = TimeSpan.FromSeconds(2), RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        Task Lead(string who, CancellationToken token)
        {
            lock (leading)
            {
                leading.Add(who);
            }
            return Task.Delay(Timeout.Infinite, token);
        }
        var first = new LeaderElection(client, options with { Identity = "first" }, NullLogger<LeaderElection>.Instance);
        var second = new LeaderElection(client, options with { Identity = "second" }, NullLogger<LeaderElection>.Instance);
        using var killFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();

        var firstRun = first.RunAsync(token => Lead("first", token), killFirst.Token);
        await TestCluster.EventuallyAsync(() => first.IsLeader, "the first to lead");
        var secondRun = second.RunAsync(token => Lead("second", token), stopSecond.Token);
        await Task.Delay(2000);
        Assert.False(second.IsLeader);

        // Cancelling without releasing the lease is what a killed process leaves behind.
        await killFirst.CancelAsync();
        await firstRun;
        var killed = DateTime.UtcNow;
        await TestCluster.EventuallyAsync(() => second.IsLeader, "the standby to lead", TimeSpan.FromSeconds(15));
        var takeover = DateTime.UtcNow - killed;
        await stopSecond.CancelAsync();
        await secondRun;

        Assert.Equal(["first", "second"], leading);
        Assert.True(takeover < TimeSpan.FromSeconds(8), $"took {takeover}");
    }
}
