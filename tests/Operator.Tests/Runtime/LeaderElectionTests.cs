using k8s;
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
            ReleaseOnCancel = false,
        };
        Task Lead(string who, CancellationToken token)
        {
            lock (leading)
            {
                leading.Add(who);
            }
            return Task.Delay(Timeout.Infinite, token);
        }
        var log = NullLogger<LeaderElection>.Instance;
        var first = new LeaderElection(client, options with { Identity = "first" }, log);
        var second = new LeaderElection(client, options with { Identity = "second" }, log);
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

    [Fact]
    public async Task RunAsync_LeaderStopsGracefully_StandbyTakesOverLongBeforeLeaseExpires()
    {
        var (client, ns) = await TestCluster.NamespaceAsync("release");
        var options = new LeaderElectionOptions
        {
            Namespace = ns, LeaseName = "test", LeaseDuration = TimeSpan.FromSeconds(20),
            RenewDeadline = TimeSpan.FromSeconds(10), RetryPeriod = TimeSpan.FromMilliseconds(300),
        };
        var log = NullLogger<LeaderElection>.Instance;
        var first = new LeaderElection(client, options with { Identity = "first" }, log);
        var second = new LeaderElection(client, options with { Identity = "second" }, log);
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var firstRun = first.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopFirst.Token);
        await TestCluster.EventuallyAsync(() => first.IsLeader, "the first to lead");
        var secondRun = second.RunAsync(token => Task.Delay(Timeout.Infinite, token), stopSecond.Token);

        await stopFirst.CancelAsync();
        await firstRun;
        var stopped = DateTime.UtcNow;
        var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync("test", ns);
        Assert.Equal(1, lease.Spec.LeaseDurationSeconds);
        await TestCluster.EventuallyAsync(() => second.IsLeader, "the standby to lead", TimeSpan.FromSeconds(30));
        var takeover = DateTime.UtcNow - stopped;
        await stopSecond.CancelAsync();
        await secondRun;

        Assert.True(takeover < TimeSpan.FromSeconds(12), $"took {takeover} with a 20 s lease");
    }
}
