using k8s;
using k8s.Autorest;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using k8s.Models;

namespace SsoOperator.Operator.Runtime;

/// <summary>
/// Only the replica holding a coordination.k8s.io/v1 Lease does work. When it stops renewing (it died or
/// lost the API server), another replica takes the lease once it expires and starts the work afresh.
/// </summary>
public sealed partial class LeaderElection(IKubernetes client, LeaderElectionOptions options,
    ILogger<LeaderElection> logger)
{
    private volatile bool leading;

    public bool IsLeader => leading;

    public string Identity => options.Identity;

    /// <summary>The current holder of the lease as last observed, if any.</summary>
    public string? Leader { get; private set; }

    /// <summary>
    /// Runs <paramref name="lead"/> whenever this replica holds the lease and cancels it when the lease is
    /// lost; then competes for the lease again. Returns when <paramref name="cancellationToken"/> fires.
    /// </summary>
    public async Task RunAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        if (!options.Enabled)
        {
            leading = true;
            await lead(cancellationToken);
            return;
        }
        while (!cancellationToken.IsCancellationRequested)
        {
            await RunTermAsync(lead, cancellationToken);
        }
    }

    private async Task RunTermAsync(Func<CancellationToken, Task> lead, CancellationToken cancellationToken)
    {
        var lease = new LeaseLock(client, options.Namespace, options.LeaseName, options.Identity);
        using var elector = new LeaderElector(new LeaderElectionConfig(lease)
        {
            LeaseDuration = options.LeaseDuration,
            RenewDeadline = options.RenewDeadline,
            RetryPeriod = options.RetryPeriod,
        });
        using var term = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task work = Task.CompletedTask;
        var led = false;
        elector.OnStartedLeading += () =>
        {
            leading = led = true;
            LogStartedLeading(logger, options.Identity, options.LeaseName);
            work = Task.Run(() => lead(term.Token), CancellationToken.None);
        };
        elector.OnStoppedLeading += () =>
        {
            leading = false;
            term.Cancel();
        };
        elector.OnNewLeader += identity => Leader = identity;
        elector.OnError += error => LogElectionError(logger, error);

        try
        {
            await elector.RunUntilLeadershipLostAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down; the lease expires by itself and a standby takes it over.
        }
        leading = false;
        await term.CancelAsync();
        await AwaitWorkAsync(work);
        if (led && cancellationToken.IsCancellationRequested && options.ReleaseOnCancel)
        {
            await ReleaseAsync();
        }
    }

    /// <summary>
    /// Shortens our lease to one second on a graceful stop, so a standby takes over at once instead of
    /// waiting out the full duration. Best effort: a failure only means the standby waits longer.
    /// </summary>
    private async Task ReleaseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            var lease = await client.CoordinationV1.ReadNamespacedLeaseAsync(options.LeaseName, options.Namespace,
                cancellationToken: timeout.Token);
            if (lease.Spec.HolderIdentity != options.Identity)
            {
                return;
            }
            var patch = new
            {
                metadata = new { resourceVersion = lease.Metadata.ResourceVersion },
                spec = new { leaseDurationSeconds = 1 },
            };
            await client.CoordinationV1.PatchNamespacedLeaseAsync(new V1Patch(patch, V1Patch.PatchType.MergePatch),
                options.LeaseName, options.Namespace, cancellationToken: timeout.Token);
            LogReleased(logger, options.Identity);
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or OperationCanceledException)
        {
            LogElectionError(logger, e);
        }
    }

    private async Task AwaitWorkAsync(Task work)
    {
        try
        {
            await work;
        }
        catch (OperationCanceledException)
        {
            // The term ended, as intended.
        }
        catch (Exception e)
        {
            LogWorkFailed(logger, e);
        }
        LogStoppedLeading(logger, options.Identity);
    }

    [LoggerMessage(1, LogLevel.Information, "{Identity} became the leader (lease {LeaseName})")]
    private static partial void LogStartedLeading(ILogger logger, string identity, string leaseName);

    [LoggerMessage(2, LogLevel.Information, "{Identity} stopped leading")]
    private static partial void LogStoppedLeading(ILogger logger, string identity);

    [LoggerMessage(3, LogLevel.Debug, "Leader election: lease not acquired or renewed")]
    private static partial void LogElectionError(ILogger logger, Exception error);

    [LoggerMessage(5, LogLevel.Information, "{Identity} released the lease")]
    private static partial void LogReleased(ILogger logger, string identity);

    [LoggerMessage(4, LogLevel.Error, "The work of the leader failed")]
    private static partial void LogWorkFailed(ILogger logger, Exception error);
}

/// <summary>Which Lease to compete for, as whom, and how quickly a standby takes over.</summary>
public sealed record LeaderElectionOptions
{
    public bool Enabled { get; init; } = true;

    public string Namespace { get; init; } = "default";

    public string LeaseName { get; init; } = "ssooperator-leader";

    public string Identity { get; init; } = $"{Environment.MachineName}-{Guid.NewGuid():N}"[..32];

    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RenewDeadline { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan RetryPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>On a graceful stop, shorten the lease so a standby takes over within a second or two.</summary>
    public bool ReleaseOnCancel { get; init; } = true;
}
